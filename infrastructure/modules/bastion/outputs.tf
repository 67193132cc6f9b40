output "instance_id" {
  description = "Target of aws ssm start-session."
  value       = aws_instance.this.id
}

output "security_group_id" {
  description = "Security group of the bastion; Redis allows it in."
  value       = aws_security_group.bastion.id
}
