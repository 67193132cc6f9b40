variable "name" {
  description = "Name of the load balancer and target group (at most 32 characters)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the targets."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets the load balancer gets a node in (one per availability zone)."
  type        = list(string)
}

variable "domain_name" {
  description = "Public name clients use (e.g. hyperstore.cc); gets the certificate and a DNS record."
  type        = string
}

variable "cloudflare_zone_id" {
  description = "Cloudflare zone that holds domain_name."
  type        = string
}

variable "target_port" {
  description = "Port of the targets (the API container's)."
  type        = number
  default     = 8080
}

variable "health_check_path" {
  description = "HTTP path the load balancer probes on the targets; 200 means ready for traffic."
  type        = string
  default     = "/health/ready"
}

variable "deregistration_delay" {
  description = "Seconds a deregistering target keeps its connections before they are closed (AWS default 300)."
  type        = number
  default     = 30
}

variable "enable_deletion_protection" {
  description = "Refuse to delete the load balancer (turn off before teardown)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every AWS resource."
  type        = map(string)
  default     = {}
}
