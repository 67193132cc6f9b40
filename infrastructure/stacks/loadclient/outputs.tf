output "cluster_name" {
  description = "ECS cluster of this region's load clients."
  value       = module.loadtest.cluster_name
}

output "task_definition_family" {
  description = "Task definition family to start."
  value       = module.loadtest.task_definition_family
}

output "run_config_parameter" {
  description = "SSM parameter the run script reads in this region."
  value       = module.loadtest.run_config_parameter
}
