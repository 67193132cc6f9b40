variable "aws_region" {
  description = "Home region of the shared resources (image repositories, results bucket)."
  type        = string
  default     = "eu-central-1"
}

variable "loadtest_client_id" {
  description = "OAuth client id the load clients use; register it in the API with the generated secret."
  type        = string
  default     = "loadtest"
}

variable "results_retention_days" {
  description = "Days load-test results stay in the results bucket."
  type        = number
  default     = 90
}
