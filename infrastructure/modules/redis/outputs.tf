output "instance_id" {
  description = "EC2 instance ID (CloudWatch dimension InstanceId)."
  value       = aws_instance.this.id
}

output "private_ip" {
  description = "Private IP address Redis listens on."
  value       = aws_instance.this.private_ip
}

output "port" {
  description = "Redis port."
  value       = 6379
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.redis.id
}

output "data_volume_id" {
  description = "EBS volume holding the AOF and RDB files."
  value       = aws_ebs_volume.data.id
}

output "log_group_name" {
  description = "Log group of the Redis server log."
  value       = aws_cloudwatch_log_group.redis.name
}
