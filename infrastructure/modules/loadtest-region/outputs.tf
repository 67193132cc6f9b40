output "cluster_name" {
  description = "ECS cluster the load tasks run in."
  value       = aws_ecs_cluster.this.name
}

output "task_definition_family" {
  description = "Task definition family to pass to run-task."
  value       = aws_ecs_task_definition.this.family
}

output "subnet_ids" {
  description = "Public subnets for run-task (with assignPublicIp=ENABLED)."
  value       = aws_subnet.this[*].id
}

output "security_group_id" {
  description = "Outbound-only security group for run-task."
  value       = aws_security_group.tasks.id
}

output "run_config_parameter" {
  description = "SSM parameter (in this region) describing how to start a run."
  value       = aws_ssm_parameter.run_config.name
}
