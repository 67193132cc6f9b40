variable "name_prefix" {
  description = "Prefix of the repository names (e.g. hyperstore gives hyperstore/api)."
  type        = string
}

variable "repositories" {
  description = "Repository names under the prefix, one per image."
  type        = set(string)
  default     = ["api", "projector", "loadtest"]
}

variable "keep_images" {
  description = "How many tagged images each repository keeps; older ones expire."
  type        = number
  default     = 30
}

variable "pull_account_ids" {
  description = "Other AWS accounts allowed to pull the images (empty: this account only)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
