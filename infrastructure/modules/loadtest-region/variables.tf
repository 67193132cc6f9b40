variable "name" {
  description = "Prefix of the region's load-test resources (e.g. hyperstore-load-eu-north-1)."
  type        = string
}

variable "region_label" {
  description = "Label the results carry for this region (--region-label), e.g. eu-north-1."
  type        = string
}

variable "image" {
  description = "Load client image (ECR repository URL with tag; pulled across regions)."
  type        = string
}

variable "uploader_image" {
  description = "Image with the AWS CLI that prepares the results volume and uploads the result file."
  type        = string
  default     = "public.ecr.aws/aws-cli/aws-cli:2.22.0"
}

variable "api_url" {
  description = "Base URL of the API under test (--host)."
  type        = string
}

variable "client_id" {
  description = "OAuth client the load client authenticates as (HYPERSTORE_CLIENT_ID)."
  type        = string
}

variable "client_secret_parameter_arn" {
  description = "Full ARN of the SecureString SSM parameter with the client secret (another region is fine with a full ARN)."
  type        = string
}

variable "audit_client_id" {
  description = "OAuth client with scope audit for the ledger check after the run (null: check skipped)."
  type        = string
  default     = null
}

variable "audit_client_secret_parameter_arn" {
  description = "Full ARN of the SecureString SSM parameter with the audit client's secret (with audit_client_id)."
  type        = string
  default     = null
}

variable "results_bucket" {
  description = "S3 bucket the result JSON is uploaded to, under runs/<run id>/<region label>.json."
  type        = string
}

variable "users" {
  description = "Default number of simulated users (-u); run-task overrides may change it."
  type        = number
  default     = 50
}

variable "spawn_rate" {
  description = "Default users started per second (-r)."
  type        = number
  default     = 10
}

variable "duration" {
  description = "Default run time (-t), e.g. 60s."
  type        = string
  default     = "60s"
}

variable "cpu" {
  description = "Task CPU units."
  type        = number
  default     = 1024
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 2048
}

variable "vpc_cidr" {
  description = "Range of the small VPC the load tasks run in (public subnets, no NAT)."
  type        = string
  default     = "10.90.0.0/24"
}

variable "log_retention_days" {
  description = "Days the load client logs are kept."
  type        = number
  default     = 14
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
