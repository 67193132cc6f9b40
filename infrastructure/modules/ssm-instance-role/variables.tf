variable "name" {
  description = "Prefix of the role's and the instance profile's names (cut to 32 characters)."
  type        = string
}

variable "managed_policy_arns" {
  description = "AWS managed policies attached besides AmazonSSMManagedInstanceCore."
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
