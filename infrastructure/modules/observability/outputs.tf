output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the stack."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "metric_namespace" {
  description = "CloudWatch namespace of the log-derived metrics."
  value       = local.namespace
}
