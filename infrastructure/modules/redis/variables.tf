variable "name" {
  description = "Name of the instance and prefix of its resources (e.g. hyperstore-eu-redis)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the instance."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet the instance runs in; the data volume is created in its availability zone."
  type        = string
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect to Redis (the ECS tasks and the bastion)."
  type        = list(string)
}

variable "instance_type" {
  description = "EC2 instance type; Graviton (t4g/r7g) by default."
  type        = string
  default     = "t4g.medium"
}

variable "architecture" {
  description = "CPU architecture of instance_type, for the AMI and agent packages: arm64 or amd64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "amd64"], var.architecture)
    error_message = "architecture is arm64 or amd64."
  }
}

variable "ami_id" {
  description = "AMI to boot (null: the newest official Debian 12 image for the architecture)."
  type        = string
  default     = null
}

variable "data_volume_size_gb" {
  description = "Size of the encrypted gp3 volume holding the AOF and RDB files."
  type        = number
  default     = 20
}

variable "maxmemory_percent" {
  description = "Share of the instance's memory Redis may use (noeviction: writes fail beyond it, nothing is dropped)."
  type        = number
  default     = 70
}

variable "password_parameter_name" {
  description = "Name of the SecureString SSM parameter holding the Redis password (read at boot)."
  type        = string
}

variable "password_parameter_arn" {
  description = "ARN of the same parameter, for the instance role."
  type        = string
}

variable "snapshot_retain_count" {
  description = "How many daily EBS snapshots of the data volume to keep."
  type        = number
  default     = 14
}

variable "snapshot_time_utc" {
  description = "Time of day (UTC, HH:MM) of the daily snapshot."
  type        = string
  default     = "03:00"
}

variable "log_retention_days" {
  description = "Days the Redis server log is kept in CloudWatch."
  type        = number
  default     = 30
}

variable "alarm_topic_arns" {
  description = "SNS topics notified when the instance is recovered after a failed system check."
  type        = list(string)
  default     = []
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

variable "private_host_number" {
  description = "Host number of the Redis host's fixed private address within its subnet (AWS reserves the first four and the last)."
  type        = number
  default     = 250
}
