output "target_group_arn" {
  description = "Target group the API service registers its tasks with."
  value       = aws_lb_target_group.this.arn

  # ECS refuses a target group that no listener uses yet (and retries only for a few minutes).
  depends_on = [aws_lb_listener.tcp, aws_lb_listener.tls]
}

output "security_group_id" {
  description = "Security group of the load balancer; the API tasks allow it in."
  value       = aws_security_group.nlb.id
}

output "lb_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension LoadBalancer)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (CloudWatch dimension TargetGroup)."
  value       = aws_lb_target_group.this.arn_suffix
}

output "lb_dns_name" {
  description = "DNS name AWS gave the load balancer."
  value       = aws_lb.this.dns_name
}

output "url" {
  description = "Public HTTPS URL of the API."
  value       = "https://${var.domain_name}/"
}
