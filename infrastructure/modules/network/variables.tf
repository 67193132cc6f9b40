variable "name" {
  description = "Name prefix for every resource (e.g. hyperstore-eu)."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 range of the VPC; split into one public and one private /20 per availability zone."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over (at least 2 for the load balancer and ECS)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2
    error_message = "Use at least two availability zones."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper) instead of one per availability zone (survives an AZ outage)."
  type        = bool
  default     = true
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints instead of the NAT gateway (S3 always gets a free gateway endpoint)."
  type        = set(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "ec2messages"]
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
