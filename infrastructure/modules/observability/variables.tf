variable "name" {
  description = "Prefix of alarm, dashboard and metric names (e.g. hyperstore-eu)."
  type        = string
}

variable "api_log_group_name" {
  description = "Log group of the API containers (JSON console logs)."
  type        = string
}

variable "projector_log_group_name" {
  description = "Log group of the projector containers (JSON console logs)."
  type        = string
}

variable "redis_instance_id" {
  description = "EC2 instance running Redis."
  type        = string
}

variable "lb_arn_suffix" {
  description = "ARN suffix of the API's network load balancer."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the API's target group."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster of the API and projector services."
  type        = string
}

variable "api_service_name" {
  description = "ECS service name of the API."
  type        = string
}

variable "projector_service_name" {
  description = "ECS service name of the projector."
  type        = string
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm once)."
  type        = list(string)
  default     = []
}

variable "log_fields" {
  description = "JSON paths in the log lines: request count, 5xx count and p99 (ms) of the API's 10-second RequestStats line, events behind of the projector's ProjectionLag line."
  type = object({
    requests   = string
    errors_5xx = string
    p99_ms     = string
    lag_events = string
  })
  default = {
    requests   = "$.State.Requests"
    errors_5xx = "$.State.Errors5xx"
    p99_ms     = "$.State.P99Ms"
    lag_events = "$.State.LagEvents"
  }
}

variable "thresholds" {
  description = "Alarm thresholds: 5xx share of requests (%), p99 latency (ms), projector lag (events), Redis memory, CPU and data volume (%)."
  type = object({
    error_rate_percent   = number
    p99_latency_ms       = number
    projector_lag_events = number
    redis_memory_percent = number
    redis_cpu_percent    = number
    redis_disk_percent   = optional(number, 80)
  })
  default = {
    error_rate_percent   = 1
    p99_latency_ms       = 500
    projector_lag_events = 1000
    redis_memory_percent = 80
    redis_cpu_percent    = 80
    redis_disk_percent   = 80
  }

  validation {
    condition     = var.thresholds.redis_disk_percent > 0 && var.thresholds.redis_disk_percent < 100
    error_message = "thresholds.redis_disk_percent must be between 0 and 100 (exclusive)."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
