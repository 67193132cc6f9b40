variable "aws_region" {
  description = "Home region of the shared resources (image repositories, results bucket)."
  type        = string
  default     = "eu-central-1"
}

variable "loadtest_client_id" {
  description = "OAuth client id the load clients use (scopes read, buy, stock)."
  type        = string
  default     = "loadtest"
}

variable "audit_client_id" {
  description = "OAuth client id with scope audit, for the load client's ledger check after a run."
  type        = string
  default     = "auditor"
}

variable "results_retention_days" {
  description = "Days load-test results stay in the results bucket."
  type        = number
  default     = 90
}
