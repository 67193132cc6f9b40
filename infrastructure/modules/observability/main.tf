data "aws_region" "current" {}

locals {
  namespace = "Hyperstore/${var.name}"
  region    = data.aws_region.current.region
  actions   = [aws_sns_topic.alarms.arn]
}

# Not encrypted at rest: CloudWatch can publish to an encrypted topic only through a customer managed key whose
# policy lets it in (the AWS managed alias/aws/sns key cannot), and the alarm messages hold names and figures, no data.
resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
  tags = var.tags
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.key
}

# Every 10 s each API task writes one JSON log line with that interval's requests (event RequestStats: request
# count, 5xx count, p99); the projector logs its lag every 10 s (event ProjectionLag). Metric filters turn those
# lines into metrics: a TCP load balancer sees no HTTP, and a log line per request would cost more than it tells.
resource "aws_cloudwatch_log_metric_filter" "requests" {
  name           = "${var.name}-api-requests"
  log_group_name = var.api_log_group_name
  pattern        = "{ ${var.log_fields.requests} = * }"

  metric_transformation {
    namespace = local.namespace
    name      = "ApiRequests"
    value     = var.log_fields.requests
    unit      = "Count"
  }
}

resource "aws_cloudwatch_log_metric_filter" "errors" {
  name           = "${var.name}-api-5xx"
  log_group_name = var.api_log_group_name
  pattern        = "{ ${var.log_fields.errors_5xx} = * }"

  metric_transformation {
    namespace     = local.namespace
    name          = "Api5xx"
    value         = var.log_fields.errors_5xx
    default_value = "0"
    unit          = "Count"
  }
}

resource "aws_cloudwatch_log_metric_filter" "latency" {
  name           = "${var.name}-api-latency"
  log_group_name = var.api_log_group_name
  pattern        = "{ ${var.log_fields.p99_ms} = * }"

  metric_transformation {
    namespace = local.namespace
    name      = "ApiLatencyP99"
    value     = var.log_fields.p99_ms
    unit      = "Milliseconds"
  }
}

resource "aws_cloudwatch_log_metric_filter" "projector_lag" {
  name           = "${var.name}-projector-lag"
  log_group_name = var.projector_log_group_name
  pattern        = "{ ${var.log_fields.lag_events} = * }"

  metric_transformation {
    namespace = local.namespace
    name      = "ProjectorLag"
    value     = var.log_fields.lag_events
    unit      = "Count"
  }
}

resource "aws_cloudwatch_metric_alarm" "error_rate" {
  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "More than ${var.thresholds.error_rate_percent}% of API requests answered 5xx"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.error_rate_percent
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags

  metric_query {
    id          = "rate"
    label       = "5xx %"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = local.namespace
      metric_name = "Api5xx"
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = local.namespace
      metric_name = "ApiRequests"
      stat        = "Sum"
      period      = 60
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  alarm_name          = "${var.name}-api-p99-latency"
  alarm_description   = "API p99 latency above ${var.thresholds.p99_latency_ms} ms"
  namespace           = local.namespace
  metric_name         = "ApiLatencyP99"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.thresholds.p99_latency_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Missing data breaches: a projector that stops reporting its lag is not keeping up either.
resource "aws_cloudwatch_metric_alarm" "projector_lag" {
  alarm_name          = "${var.name}-projector-lag"
  alarm_description   = "Read model more than ${var.thresholds.projector_lag_events} events behind, or the projector silent"
  namespace           = local.namespace
  metric_name         = "ProjectorLag"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.thresholds.projector_lag_events
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  alarm_name          = "${var.name}-redis-memory"
  alarm_description   = "Redis host memory above ${var.thresholds.redis_memory_percent}% (noeviction: writes fail when maxmemory is reached)"
  namespace           = "CWAgent"
  metric_name         = "mem_used_percent"
  dimensions          = { InstanceId = var.redis_instance_id }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.thresholds.redis_memory_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# A full data volume stops the AOF, and with appendfsync always a failed AOF write makes Redis exit. The
# dimensions are those the host's CloudWatch agent sends for /var/lib/redis with drop_device (modules/redis,
# cloud-init.yaml.tftpl): the device name depends on the instance type, so the agent leaves it out.
resource "aws_cloudwatch_metric_alarm" "redis_disk" {
  alarm_name          = "${var.name}-redis-disk"
  alarm_description   = "Redis data volume (/var/lib/redis, AOF and RDB files) above ${var.thresholds.redis_disk_percent}% full (full, Redis cannot write its AOF and stops)"
  namespace           = "CWAgent"
  metric_name         = "disk_used_percent"
  dimensions          = { InstanceId = var.redis_instance_id, path = "/var/lib/redis", fstype = "xfs" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.thresholds.redis_disk_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  alarm_name          = "${var.name}-redis-cpu"
  alarm_description   = "Redis host CPU above ${var.thresholds.redis_cpu_percent}% (single-threaded: one core saturates first)"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { InstanceId = var.redis_instance_id }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 10
  datapoints_to_alarm = 8
  threshold           = var.thresholds.redis_cpu_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  alarm_name          = "${var.name}-api-unhealthy-targets"
  alarm_description   = "API tasks failing /health/ready behind the load balancer"
  namespace           = "AWS/NetworkELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = var.lb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "API requests and 5xx per minute"
          region  = local.region
          stat    = "Sum"
          period  = 60
          metrics = [[local.namespace, "ApiRequests"], [local.namespace, "Api5xx"]]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "API p99 latency (ms, worst 10-s interval of any task)"
          region = local.region
          period = 60
          metrics = [
            [local.namespace, "ApiLatencyP99", { stat = "Average" }],
            [local.namespace, "ApiLatencyP99", { stat = "Maximum" }],
          ]
          annotations = { horizontal = [{ label = "p99 alarm", value = var.thresholds.p99_latency_ms }] }
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title   = "Projector lag (events)"
          region  = local.region
          stat    = "Maximum"
          period  = 60
          metrics = [[local.namespace, "ProjectorLag"]]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "ECS CPU %"
          region = local.region
          stat   = "Average"
          period = 60
          metrics = [
            ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.api_service_name],
            ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.projector_service_name],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Redis host"
          region = local.region
          stat   = "Maximum"
          period = 60
          metrics = [
            ["AWS/EC2", "CPUUtilization", "InstanceId", var.redis_instance_id],
            ["CWAgent", "mem_used_percent", "InstanceId", var.redis_instance_id],
            ["CWAgent", "disk_used_percent", "InstanceId", var.redis_instance_id, "path", "/var/lib/redis", "fstype", "xfs"],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "Load balancer"
          region = local.region
          stat   = "Maximum"
          period = 60
          metrics = [
            ["AWS/NetworkELB", "ActiveFlowCount", "LoadBalancer", var.lb_arn_suffix],
            ["AWS/NetworkELB", "HealthyHostCount", "LoadBalancer", var.lb_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
            ["AWS/NetworkELB", "UnHealthyHostCount", "LoadBalancer", var.lb_arn_suffix, "TargetGroup", var.target_group_arn_suffix],
          ]
        }
      },
    ]
  })
}
