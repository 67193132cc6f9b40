variable "name" {
  description = "Name of the instance and prefix of its resources."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the instance."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet the bastion runs in (it needs no public address: Session Manager goes out through NAT or the SSM endpoints)."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type (Graviton)."
  type        = string
  default     = "t4g.nano"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "permissions_boundary" {
  description = "ARN of the policy set as permissions boundary of every IAM role this module creates (the Terraform Cloud run role may create roles only with it)."
  type        = string
}
