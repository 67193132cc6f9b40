variable "name" {
  description = "Name of the service, task family, container and log group (e.g. hyperstore-eu-api)."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster the service runs in."
  type        = string
}

variable "cluster_name" {
  description = "Name of the same ECS cluster (auto-scaling addresses the service by it)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks' security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in (they get no public IP)."
  type        = list(string)
}

variable "image" {
  description = "Container image, ideally with an immutable tag (repository:git-sha)."
  type        = string
}

variable "command" {
  description = "Container command overriding the image's (null: the image's own)."
  type        = list(string)
  default     = null
}

variable "cpu" {
  description = "Task CPU units (256 = 0.25 vCPU)."
  type        = number
  default     = 512
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 1024
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton, about 20% cheaper; the image must be built for it)."
  type        = string
  default     = "X86_64"
}

variable "environment" {
  description = "Plain environment variables of the container."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables filled from SSM Parameter Store at task start: variable name => parameter ARN."
  type        = map(string)
  default     = {}
}

variable "container_port" {
  description = "Port the container listens on (null: no port, e.g. a worker)."
  type        = number
  default     = null
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL; longer than the application's own shutdown timeout."
  type        = number
  default     = 30
}

variable "desired_count" {
  description = "Initial number of tasks (auto-scaling, when enabled, moves it afterwards)."
  type        = number
  default     = 2
}

variable "create_service" {
  description = "Create the ECS service; false gives only the task definition, to be started with run-task."
  type        = bool
  default     = true
}

variable "target_group_arn" {
  description = "Load balancer target group the tasks register with (null: none)."
  type        = string
  default     = null
}

variable "health_check_grace_period_seconds" {
  description = "Seconds the service ignores load balancer health checks after a task starts."
  type        = number
  default     = 30
}

variable "ingress_security_group_ids" {
  description = "Security groups allowed to reach the container port (e.g. the load balancer's)."
  type        = list(string)
  default     = []
}

variable "autoscaling" {
  description = "CPU target-tracking auto-scaling; null disables it."
  type = object({
    min_capacity       = number
    max_capacity       = number
    cpu_target_percent = number
  })
  default = null
}

variable "task_role_policy_json" {
  description = "Extra IAM policy (JSON) for the application inside the task (null: none)."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days the container logs are kept."
  type        = number
  default     = 30
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
