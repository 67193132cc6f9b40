variable "aws_region" {
  description = "AWS region the load clients run from (workspace variable), e.g. eu-north-1."
  type        = string
}

variable "tfc_organization" {
  description = "Terraform Cloud organization holding the shared and server workspaces."
  type        = string
  default     = "hyperstore"
}

variable "shared_workspace" {
  description = "Workspace whose outputs give the image repository, results bucket and client secret."
  type        = string
  default     = "hyperstore-shared"
}

variable "server_workspace" {
  description = "Workspace of the server stack under test (its api_url)."
  type        = string
  default     = "hyperstore-server-eu"
}

variable "image_tag" {
  description = "Tag of the loadtest image (the git commit CI built and pushed)."
  type        = string

  validation {
    condition     = var.image_tag != "bootstrap"
    error_message = "No release yet: push the images and set image_tag in the hyperstore-release variable set (docs/infrastructure.md, Bootstrap, step 7)."
  }
}

variable "users" {
  description = "Default simulated users per region (run overrides may change it)."
  type        = number
  default     = 50
}

variable "spawn_rate" {
  description = "Default users started per second."
  type        = number
  default     = 10
}

variable "duration" {
  description = "Default run time, e.g. 60s."
  type        = string
  default     = "60s"
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of every IAM role this stack creates (hyperstore-release variable set, from the workspaces stack)."
  type        = string
}
