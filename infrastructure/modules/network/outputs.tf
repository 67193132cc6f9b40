output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 range of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateways), one per availability zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (ECS tasks, Redis, bastion), one per availability zone."
  value       = aws_subnet.private[*].id

  # What starts in them installs packages and pulls images at once: only once the way out (NAT) exists.
  depends_on = [aws_route.private_nat, aws_route_table_association.private]
}

output "availability_zones" {
  description = "Availability zones in use."
  value       = local.azs
}
