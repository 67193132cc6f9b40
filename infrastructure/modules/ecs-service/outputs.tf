output "service_name" {
  description = "Name of the ECS service (null when create_service is false)."
  value       = one(aws_ecs_service.this[*].name)
}

output "task_definition_arn" {
  description = "ARN of the task definition revision."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_family" {
  description = "Family of the task definition (run-task takes it and uses the latest revision)."
  value       = aws_ecs_task_definition.this.family
}

output "security_group_id" {
  description = "Security group of the tasks; Redis allows it in."
  value       = aws_security_group.tasks.id
}

output "log_group_name" {
  description = "CloudWatch log group of the container."
  value       = aws_cloudwatch_log_group.this.name
}

output "task_role_arn" {
  description = "IAM role of the application inside the task."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "IAM role ECS uses to start the task."
  value       = aws_iam_role.execution.arn
}
