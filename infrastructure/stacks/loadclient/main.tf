provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project   = "hyperstore"
      Stack     = "loadclient"
      ManagedBy = "terraform"
    }
  }
}

provider "tfe" {
  organization = var.tfc_organization
}

data "tfe_outputs" "shared" {
  organization = var.tfc_organization
  workspace    = var.shared_workspace
}

data "tfe_outputs" "server" {
  organization = var.tfc_organization
  workspace    = var.server_workspace
}

locals {
  shared = data.tfe_outputs.shared.nonsensitive_values
}

module "loadtest" {
  source = "../../modules/loadtest-region"

  name                              = "hyperstore-load-${var.aws_region}"
  permissions_boundary              = var.permissions_boundary_arn
  region_label                      = var.aws_region
  image                             = "${local.shared.repository_urls["loadtest"]}:${var.image_tag}"
  api_url                           = data.tfe_outputs.server.nonsensitive_values.api_url
  client_id                         = local.shared.loadtest_client_id
  client_secret_parameter_arn       = local.shared.loadtest_client_secret_parameter_arn
  audit_client_id                   = local.shared.audit_client_id
  audit_client_secret_parameter_arn = local.shared.audit_client_secret_parameter_arn
  results_bucket                    = local.shared.results_bucket
  users                             = var.users
  spawn_rate                        = var.spawn_rate
  duration                          = var.duration
}
