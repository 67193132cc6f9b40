variable "aws_region" {
  description = "AWS region of this server stack (workspace variable), e.g. eu-central-1."
  type        = string
}

variable "region_label" {
  description = "Hyperstore's name for this region (Hyperstore__Region), e.g. eu."
  type        = string
}

variable "regions" {
  description = "Every Hyperstore region label, in order (Hyperstore__Regions)."
  type        = list(string)
  default     = ["eu", "na", "sa"]
}

variable "tfc_organization" {
  description = "Terraform Cloud organization holding the shared workspace."
  type        = string
  default     = "hyperstore"
}

variable "shared_workspace" {
  description = "Workspace whose outputs give the image repositories."
  type        = string
  default     = "hyperstore-shared"
}

variable "domain_name" {
  description = "Public name of this region's API (e.g. hyperstore.cc); certificate and Cloudflare record."
  type        = string
}

variable "cloudflare_zone_id" {
  description = "Cloudflare zone holding domain_name."
  type        = string
}

variable "image_tag" {
  description = "Tag of the api and projector images to run (the git commit CI built and pushed)."
  type        = string

  # The workspaces stack starts the release variable set at "bootstrap"; a run triggered before the first release
  # (by the shared stack's apply) must stop at plan, not start services whose images do not exist.
  validation {
    condition     = var.image_tag != "bootstrap"
    error_message = "No release yet: push the images and set image_tag in the hyperstore-release variable set (docs/infrastructure.md, Bootstrap, step 7)."
  }
}

variable "vpc_cidr" {
  description = "IPv4 range of this region's VPC; different per region in case they are ever peered."
  type        = string
  default     = "10.40.0.0/16"
}

variable "api" {
  description = "API tasks: size and auto-scaling bounds."
  type = object({
    cpu                = number
    memory             = number
    min_tasks          = number
    max_tasks          = number
    cpu_target_percent = number
  })
  default = {
    cpu                = 1024
    memory             = 2048
    min_tasks          = 2
    max_tasks          = 8
    cpu_target_percent = 60
  }
}

variable "projector_tasks" {
  description = "Projector tasks: one holds the Redis lease and works, the others stand by."
  type        = number
  default     = 2

  validation {
    condition     = var.projector_tasks >= 2
    error_message = "Run at least two projector tasks so a standby can take the lease."
  }
}

variable "redis_instance_type" {
  description = "EC2 instance type of Redis (Graviton by default; an x86 type gets the amd64 image and agents)."
  type        = string
  default     = "t4g.medium"
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the alarms."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Days container and Redis logs are kept."
  type        = number
  default     = 30
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of every IAM role this stack creates (hyperstore-release variable set, from the workspaces stack)."
  type        = string
}
