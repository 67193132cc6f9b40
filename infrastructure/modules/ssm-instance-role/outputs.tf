output "role_name" {
  description = "Name of the instance role (to attach more policies to it)."
  value       = aws_iam_role.this.name
}

output "role_id" {
  description = "Id of the instance role (for inline policies)."
  value       = aws_iam_role.this.id
}

output "instance_profile_name" {
  description = "Instance profile to give the EC2 instance."
  value       = aws_iam_instance_profile.this.name
}
