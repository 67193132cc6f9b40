output "repository_urls" {
  description = "Repository URL by short name (api, projector, loadtest)."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARN by short name."
  value       = { for k, r in aws_ecr_repository.this : k => r.arn }
}
