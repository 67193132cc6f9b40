output "repository_urls" {
  description = "ECR repository URL by image (api, projector, loadtest)."
  value       = module.ecr.repository_urls
}

output "results_bucket" {
  description = "S3 bucket the load clients upload their results to."
  value       = aws_s3_bucket.results.id
}

output "loadtest_client_id" {
  description = "OAuth client id of the load clients."
  value       = var.loadtest_client_id
}

output "loadtest_client_secret_parameter_arn" {
  description = "Full ARN of the SecureString parameter with the load clients' secret."
  value       = aws_ssm_parameter.client_secret["load"].arn
}

output "audit_client_id" {
  description = "OAuth client id of the ledger check."
  value       = var.audit_client_id
}

output "audit_client_secret_parameter_arn" {
  description = "Full ARN of the SecureString parameter with the audit client's secret."
  value       = aws_ssm_parameter.client_secret["audit"].arn
}
