# Shared settings live in variable sets, attached where they are needed.

# Every workspace: AWS credentials through OIDC.
resource "tfe_variable_set" "aws" {
  name              = "hyperstore-aws"
  description       = "AWS dynamic credentials for every Hyperstore workspace"
  parent_project_id = tfe_project.this.id
}

resource "tfe_project_variable_set" "aws" {
  project_id      = tfe_project.this.id
  variable_set_id = tfe_variable_set.aws.id
}

resource "tfe_variable" "aws_auth" {
  variable_set_id = tfe_variable_set.aws.id
  category        = "env"
  key             = "TFC_AWS_PROVIDER_AUTH"
  value           = "true"
}

# The plan phase (and every speculative plan) reads only; the apply phase changes things.
resource "tfe_variable" "aws_plan_role" {
  variable_set_id = tfe_variable_set.aws.id
  category        = "env"
  key             = "TFC_AWS_PLAN_ROLE_ARN"
  value           = aws_iam_role.tfc_plan.arn
}

resource "tfe_variable" "aws_apply_role" {
  variable_set_id = tfe_variable_set.aws.id
  category        = "env"
  key             = "TFC_AWS_APPLY_ROLE_ARN"
  value           = aws_iam_role.tfc.arn
}

# Servers and load clients: the image tag CI released, and a token to read other workspaces' outputs.
resource "tfe_variable_set" "release" {
  name              = "hyperstore-release"
  description       = "Image tag of the current release; CI sets image_tag after pushing the images"
  parent_project_id = tfe_project.this.id
}

resource "tfe_variable" "image_tag" {
  variable_set_id = tfe_variable_set.release.id
  category        = "terraform"
  key             = "image_tag"
  value           = var.initial_image_tag
  description     = "Git commit of the images to run"

  lifecycle {
    # CI owns the value after the first apply.
    ignore_changes = [value]
  }
}

resource "tfe_variable" "tfe_token" {
  variable_set_id = tfe_variable_set.release.id
  category        = "env"
  key             = "TFE_TOKEN"
  value           = var.tfe_token
  sensitive       = true
  description     = "Reads shared and server outputs (tfe_outputs)"
}

resource "tfe_variable" "permissions_boundary_arn" {
  variable_set_id = tfe_variable_set.release.id
  category        = "terraform"
  key             = "permissions_boundary_arn"
  value           = aws_iam_policy.workload_boundary.arn
  description     = "Permissions boundary every IAM role of the stacks must carry (the run role requires it)"
}

resource "tfe_workspace_variable_set" "release" {
  for_each = merge(local.servers, local.loadclients)

  workspace_id    = tfe_workspace.this[each.key].id
  variable_set_id = tfe_variable_set.release.id
}

# Servers: Cloudflare for the certificate validation and the public record.
resource "tfe_variable_set" "dns" {
  name              = "hyperstore-dns"
  description       = "Cloudflare zone and token for the server stacks"
  parent_project_id = tfe_project.this.id
}

resource "tfe_variable" "cloudflare_zone_id" {
  variable_set_id = tfe_variable_set.dns.id
  category        = "terraform"
  key             = "cloudflare_zone_id"
  value           = var.cloudflare_zone_id
}

resource "tfe_variable" "cloudflare_api_token" {
  variable_set_id = tfe_variable_set.dns.id
  category        = "env"
  key             = "CLOUDFLARE_API_TOKEN"
  value           = var.cloudflare_api_token
  sensitive       = true
}

resource "tfe_workspace_variable_set" "dns" {
  for_each = local.servers

  workspace_id    = tfe_workspace.this[each.key].id
  variable_set_id = tfe_variable_set.dns.id
}
