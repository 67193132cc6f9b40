variable "organization" {
  description = "Terraform Cloud organization."
  type        = string
  default     = "hyperstore"
}

variable "project_name" {
  description = "Terraform Cloud project holding every Hyperstore workspace."
  type        = string
  default     = "hyperstore"
}

variable "vcs_identifier" {
  description = "Repository the workspaces run from, as <owner>/<name>."
  type        = string
  default     = "hyperstore/hyperstore"
}

variable "vcs_branch" {
  description = "Branch whose merges are applied; pull requests against it get speculative plans."
  type        = string
  default     = "main"
}

variable "vcs_oauth_token_id" {
  description = "OAuth token of the VCS connection (ot-...); null when github_app_installation_id is used."
  type        = string
  default     = null
}

variable "github_app_installation_id" {
  description = "Terraform Cloud GitHub App installation (ghain-...); null when vcs_oauth_token_id is used."
  type        = string
  default     = null
}

variable "server_regions" {
  description = "Server stacks by Hyperstore region label: AWS region, public name and VPC range."
  type = map(object({
    aws_region  = string
    domain_name = string
    vpc_cidr    = string
  }))
  default = {
    eu = { aws_region = "eu-central-1", domain_name = "hyperstore.cc", vpc_cidr = "10.40.0.0/16" }
  }
}

variable "load_regions" {
  description = "AWS regions with a load-client stack; add us-east-1 and sa-east-1 for transatlantic runs."
  type        = set(string)
  default     = ["eu-central-1", "eu-north-1", "eu-west-2"]
}

variable "load_target" {
  description = "Label of the server region the load clients test."
  type        = string
  default     = "eu"
}

variable "cloudflare_zone_id" {
  description = "Cloudflare zone of the public names."
  type        = string
}

variable "cloudflare_api_token" {
  description = "Cloudflare API token with DNS edit on the zone (stored as a sensitive environment variable)."
  type        = string
  sensitive   = true
}

variable "tfe_token" {
  description = "Team token the stacks use to read each other's outputs with tfe_outputs (sensitive)."
  type        = string
  sensitive   = true
}

variable "initial_image_tag" {
  description = "image_tag before CI first sets it; CI updates the variable on each release."
  type        = string
  default     = "bootstrap"
}

variable "aws_region" {
  description = "Region for the IAM resources this stack creates (IAM itself is global)."
  type        = string
  default     = "eu-central-1"
}

variable "alarm_emails" {
  description = "E-mail addresses that receive the server stacks' alarms."
  type        = list(string)
  default     = []
}
