data "aws_region" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  region = data.aws_region.current.region
  azs    = slice(data.aws_availability_zones.available.names, 0, 2)
  log_options = {
    awslogs-group         = aws_cloudwatch_log_group.this.name
    awslogs-region        = local.region
    awslogs-stream-prefix = "load"
  }
  results_mount = [{ sourceVolume = "results", containerPath = "/results" }]
  audit         = var.audit_client_id != null && var.audit_client_secret_parameter_arn != null

  load_environment = concat(
    [{ name = "HYPERSTORE_CLIENT_ID", value = var.client_id }],
    local.audit ? [{ name = "HYPERSTORE_AUDIT_CLIENT_ID", value = var.audit_client_id }] : [],
  )
  load_secrets = concat(
    [{ name = "HYPERSTORE_CLIENT_SECRET", valueFrom = var.client_secret_parameter_arn }],
    local.audit ? [{ name = "HYPERSTORE_AUDIT_CLIENT_SECRET", valueFrom = var.audit_client_secret_parameter_arn }] : [],
  )
  secret_arns = compact([var.client_secret_parameter_arn, local.audit ? var.audit_client_secret_parameter_arn : ""])
}

# A VPC of its own with public subnets and no NAT: the tasks only dial out (public IP from run-task,
# no inbound rule), which costs nothing while no test runs.
resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "this" {
  count = length(local.azs)

  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 1, count.index)
  tags              = merge(var.tags, { Name = "${var.name}-${local.azs[count.index]}" })
}

resource "aws_route_table" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_route" "internet" {
  route_table_id         = aws_route_table.this.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "this" {
  count = length(local.azs)

  subnet_id      = aws_subnet.this[count.index].id
  route_table_id = aws_route_table.this.id
}

resource "aws_security_group" "tasks" {
  name_prefix = "${var.name}-"
  description = "Load clients: outbound only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.tasks.id
  description       = "The API under test, S3, ECR"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_ecs_cluster" "this" {
  name = var.name
  tags = var.tags

  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix          = "${substr(var.name, 0, 28)}-exec-"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution" {
  statement {
    actions   = ["ssm:GetParameters"]
    resources = local.secret_arns
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "read-client-secret"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  name_prefix          = "${substr(var.name, 0, 28)}-task-"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "upload" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${var.results_bucket}/runs/*"]
  }
}

resource "aws_iam_role_policy" "upload" {
  name   = "upload-results"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.upload.json
}

# Three containers share a scratch volume: prepare (make it writable for the non-root load client),
# load (the test; its exit code says whether thresholds held), upload (runs whatever load's exit code,
# so failed runs are kept too). RUN_ID comes from the run-task override.
resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  volume {
    name = "results"
  }

  container_definitions = jsonencode([
    {
      name             = "prepare"
      image            = var.uploader_image
      essential        = false
      user             = "0"
      entryPoint       = ["sh", "-c"]
      command          = ["chmod 0777 /results"]
      mountPoints      = local.results_mount
      logConfiguration = { logDriver = "awslogs", options = local.log_options }
    },
    {
      name      = "load"
      image     = var.image
      essential = false
      dependsOn = [{ containerName = "prepare", condition = "SUCCESS" }]
      command = [
        "run", "--host", var.api_url,
        "-u", tostring(var.users), "-r", tostring(var.spawn_rate), "-t", var.duration,
        "--json", "/results/result.json", "--region-label", var.region_label,
      ]
      environment      = local.load_environment
      secrets          = local.load_secrets
      mountPoints      = local.results_mount
      logConfiguration = { logDriver = "awslogs", options = local.log_options }
    },
    {
      name       = "upload"
      image      = var.uploader_image
      essential  = true
      dependsOn  = [{ containerName = "load", condition = "COMPLETE" }]
      entryPoint = ["sh", "-c"]
      command = [
        "aws s3 cp /results/result.json \"s3://${var.results_bucket}/runs/$RUN_ID/${var.region_label}.json\"",
      ]
      environment      = [{ name = "RUN_ID", value = "manual" }]
      mountPoints      = local.results_mount
      logConfiguration = { logDriver = "awslogs", options = local.log_options }
    },
  ])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  tags = var.tags
}

# What the run script needs to start a task here, found by region without Terraform access.
resource "aws_ssm_parameter" "run_config" {
  name        = "/hyperstore/loadtest/run-config"
  description = "Where hyperstore load tests run in this region (read by infrastructure/scripts/loadtest.sh)"
  type        = "String"
  value = jsonencode({
    cluster         = aws_ecs_cluster.this.name
    task_definition = aws_ecs_task_definition.this.family
    subnets         = aws_subnet.this[*].id
    security_groups = [aws_security_group.tasks.id]
    region_label    = var.region_label
    results_bucket  = var.results_bucket
    api_url         = var.api_url
  })
  tags = var.tags
}
