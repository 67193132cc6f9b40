output "api_url" {
  description = "Public HTTPS URL of this region's API."
  value       = module.public_endpoint.url
}

output "load_balancer_dns_name" {
  description = "DNS name of the network load balancer (the Cloudflare record points here)."
  value       = module.public_endpoint.lb_dns_name
}

output "cluster_name" {
  description = "ECS cluster of the API and projector."
  value       = aws_ecs_cluster.this.name
}

output "api_service_name" {
  description = "ECS service of the API."
  value       = module.api.service_name
}

output "projector_service_name" {
  description = "ECS service of the projector."
  value       = module.projector.service_name
}

output "bastion_instance_id" {
  description = "Session Manager target for port forwarding to Redis."
  value       = module.bastion.instance_id
}

output "redis_private_ip" {
  description = "Private address of Redis (reach it through the bastion)."
  value       = module.redis.private_ip
}

output "redis_password_parameter" {
  description = "SSM parameter holding the Redis password."
  value       = aws_ssm_parameter.redis_password.name
}

output "dashboard_url" {
  description = "CloudWatch dashboard of this stack."
  value       = "https://${var.aws_region}.console.aws.amazon.com/cloudwatch/home?region=${var.aws_region}#dashboards:name=${module.observability.dashboard_name}"
}
