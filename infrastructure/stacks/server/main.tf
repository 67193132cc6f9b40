provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

# Token from the CLOUDFLARE_API_TOKEN environment variable (sensitive, in a variable set).
provider "cloudflare" {}

# Token from TFE_TOKEN (sensitive, in a variable set); only reads the shared workspace's outputs.
provider "tfe" {
  organization = var.tfc_organization
}

locals {
  name = "hyperstore-${var.region_label}"
  tags = {
    Project   = "hyperstore"
    Stack     = "server"
    Region    = var.region_label
    ManagedBy = "terraform"
  }
  repositories     = data.tfe_outputs.shared.nonsensitive_values.repository_urls
  param_prefix     = "/hyperstore/${var.region_label}"
  app_shutdown_sec = 20

  # Shared by the API and the projector; secrets come from SSM at task start.
  app_environment = {
    Hyperstore__Region              = var.region_label
    Hyperstore__Regions             = join(",", var.regions)
    Logging__Console__FormatterName = "json"
    DOTNET_gcServer                 = "1"
  }
  app_secrets = {
    ConnectionStrings__Redis = aws_ssm_parameter.redis_connection_string.arn
  }
}

data "tfe_outputs" "shared" {
  organization = var.tfc_organization
  workspace    = var.shared_workspace
}

module "network" {
  source = "../../modules/network"

  name       = local.name
  cidr_block = var.vpc_cidr
}

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

# Secrets: generated here, kept only in SSM (SecureString) and the encrypted workspace state.
resource "random_password" "redis" {
  length  = 48
  special = false
}

# ES256: a signature costs a tenth of an RSA-2048 one, which bounds the token endpoint's throughput.
resource "tls_private_key" "signing" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "aws_ssm_parameter" "redis_password" {
  name        = "${local.param_prefix}/redis/password"
  description = "requirepass of ${local.name} Redis"
  type        = "SecureString"
  value       = random_password.redis.result
}

resource "aws_ssm_parameter" "redis_connection_string" {
  name        = "${local.param_prefix}/redis/connection-string"
  description = "StackExchange.Redis connection string (with the password) of ${local.name} Redis"
  type        = "SecureString"
  value       = "${module.redis.private_ip}:${module.redis.port},password=${random_password.redis.result},abortConnect=false"
}

resource "aws_ssm_parameter" "signing_key" {
  name        = "${local.param_prefix}/auth/signing-key-pem"
  description = "EC P-256 private key (PEM) that signs access tokens (ES256); shared by every API task"
  type        = "SecureString"
  value       = tls_private_key.signing.private_key_pem
}

module "bastion" {
  source = "../../modules/bastion"

  name                 = "${local.name}-bastion"
  permissions_boundary = var.permissions_boundary_arn
  vpc_id               = module.network.vpc_id
  subnet_id            = module.network.private_subnet_ids[0]
}

module "redis" {
  source = "../../modules/redis"

  name                 = "${local.name}-redis"
  permissions_boundary = var.permissions_boundary_arn
  vpc_id               = module.network.vpc_id
  subnet_id            = module.network.private_subnet_ids[0]
  instance_type        = var.redis_instance_type
  # Graviton families have a "g" right after the generation (t4g, r7gd, c7gn): the AMI and agents must match.
  architecture            = can(regex("^[a-z]+[0-9]+g", var.redis_instance_type)) ? "arm64" : "amd64"
  password_parameter_name = aws_ssm_parameter.redis_password.name
  password_parameter_arn  = aws_ssm_parameter.redis_password.arn
  log_retention_days      = var.log_retention_days
  alarm_topic_arns        = [module.observability.alarm_topic_arn]
  client_security_group_ids = [
    module.api.security_group_id,
    module.projector.security_group_id,
    module.bastion.security_group_id,
  ]
}

module "public_endpoint" {
  source = "../../modules/public-endpoint"

  name               = "${local.name}-api"
  vpc_id             = module.network.vpc_id
  public_subnet_ids  = module.network.public_subnet_ids
  domain_name        = var.domain_name
  cloudflare_zone_id = var.cloudflare_zone_id
  target_port        = 8080
}

module "api" {
  source = "../../modules/ecs-service"

  name                       = "${local.name}-api"
  permissions_boundary       = var.permissions_boundary_arn
  cluster_arn                = aws_ecs_cluster.this.arn
  cluster_name               = aws_ecs_cluster.this.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  image                      = "${local.repositories["api"]}:${var.image_tag}"
  cpu                        = var.api.cpu
  memory                     = var.api.memory
  container_port             = 8080
  target_group_arn           = module.public_endpoint.target_group_arn
  ingress_security_group_ids = [module.public_endpoint.security_group_id]
  # Longer than the app's own graceful shutdown, so in-flight requests finish before SIGKILL.
  stop_timeout       = local.app_shutdown_sec + 10
  desired_count      = var.api.min_tasks
  log_retention_days = var.log_retention_days
  autoscaling = {
    min_capacity       = var.api.min_tasks
    max_capacity       = var.api.max_tasks
    cpu_target_percent = var.api.cpu_target_percent
  }

  # /metrics has no authentication: it answers only on the second port, which neither the load balancer nor the
  # security group opens. Nothing scrapes it yet; the chiseled image has no curl, so a scraper must run in the VPC.
  environment = merge(local.app_environment, {
    ASPNETCORE_URLS         = "http://+:8080;http://+:9464"
    Hyperstore__MetricsPort = "9464"
    Auth__Issuer            = "https://${var.domain_name}/"
    Auth__RequireHttps      = "false"
    },
    # On one vCPU an idle thread-pool worker that spins waits for work only this same core can produce: the
    # benchmark measured 8-14 points less CPU at the same load without the spinning. Requests are also run on the
    # thread that received them, without a hand-off (a context switch on one core) to the thread pool; the two
    # settings go together (docs/performance.md).
    var.api.cpu <= 1024 ? {
      DOTNET_ThreadPool_UnfairSemaphoreSpinLimit   = "0"
      DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS = "1"
      Hyperstore__InlineScheduling                 = "true"
    } : {}
  )
  secrets = merge(local.app_secrets, {
    Auth__SigningKeyPem = aws_ssm_parameter.signing_key.arn
  })
}

module "projector" {
  source = "../../modules/ecs-service"

  name                 = "${local.name}-projector"
  permissions_boundary = var.permissions_boundary_arn
  cluster_arn          = aws_ecs_cluster.this.arn
  cluster_name         = aws_ecs_cluster.this.name
  vpc_id               = module.network.vpc_id
  subnet_ids           = module.network.private_subnet_ids
  image                = "${local.repositories["projector"]}:${var.image_tag}"
  cpu                  = 512
  memory               = 1024
  desired_count        = var.projector_tasks
  stop_timeout         = local.app_shutdown_sec + 10
  log_retention_days   = var.log_retention_days
  # Half a vCPU: a spinning idle thread-pool worker only delays the work it waits for (see the API above).
  environment = merge(local.app_environment, { DOTNET_ThreadPool_UnfairSemaphoreSpinLimit = "0" })
  secrets     = local.app_secrets
}

module "observability" {
  source = "../../modules/observability"

  name                     = local.name
  api_log_group_name       = module.api.log_group_name
  projector_log_group_name = module.projector.log_group_name
  redis_instance_id        = module.redis.instance_id
  lb_arn_suffix            = module.public_endpoint.lb_arn_suffix
  target_group_arn_suffix  = module.public_endpoint.target_group_arn_suffix
  cluster_name             = aws_ecs_cluster.this.name
  api_service_name         = module.api.service_name
  projector_service_name   = module.projector.service_name
  alarm_emails             = var.alarm_emails
}
