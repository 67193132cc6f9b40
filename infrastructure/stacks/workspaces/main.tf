provider "tfe" {
  organization = var.organization
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project   = "hyperstore"
      Stack     = "workspaces"
      ManagedBy = "terraform"
    }
  }
}

locals {
  # .terraform-version is the single pin: tfenv/tfswitch read it locally, and every workspace runs the
  # same version because it is set from the file here.
  terraform_version = trimspace(file("${path.module}/../../../.terraform-version"))

  # Which modules each stack uses: a change to one plans exactly the stacks that use it.
  stacks = {
    shared     = { dir = "infrastructure/stacks/shared", modules = ["ecr"] }
    server     = { dir = "infrastructure/stacks/server", modules = ["network", "ecs-service", "public-endpoint", "redis", "bastion", "ssm-instance-role", "observability"] }
    loadclient = { dir = "infrastructure/stacks/loadclient", modules = ["loadtest-region"] }
  }

  workspaces = merge(
    {
      shared = { stack = "shared", description = "ECR repositories, results bucket, load client secret", vars = {}, hcl_vars = {} }
    },
    {
      for label, r in var.server_regions : "server-${label}" => {
        stack       = "server"
        description = "Hyperstore region ${label} in ${r.aws_region}"
        vars        = { aws_region = r.aws_region, region_label = label, domain_name = r.domain_name, vpc_cidr = r.vpc_cidr }
        hcl_vars    = { alarm_emails = jsonencode(var.alarm_emails) }
      }
    },
    {
      for region in var.load_regions : "loadclient-${region}" => {
        stack       = "loadclient"
        description = "Load clients in ${region}"
        vars        = { aws_region = region, server_workspace = "hyperstore-server-${var.load_target}" }
        hcl_vars    = {}
      }
    },
  )

  workspace_vars = merge([
    for ws, w in local.workspaces : merge(
      { for k, v in w.vars : "${ws}/${k}" => { workspace = ws, key = k, value = v, hcl = false } },
      { for k, v in w.hcl_vars : "${ws}/${k}" => { workspace = ws, key = k, value = v, hcl = true } },
    )
  ]...)

  servers     = { for k, w in local.workspaces : k => w if w.stack == "server" }
  loadclients = { for k, w in local.workspaces : k => w if w.stack == "loadclient" }
}

resource "tfe_project" "this" {
  name        = var.project_name
  description = "Hyperstore infrastructure (infrastructure/ in the repository)"
}

resource "tfe_workspace" "this" {
  for_each = local.workspaces

  name              = "hyperstore-${each.key}"
  description       = each.value.description
  project_id        = tfe_project.this.id
  terraform_version = local.terraform_version
  working_directory = local.stacks[each.value.stack].dir
  tag_names         = ["hyperstore", each.value.stack]

  # trigger_patterns and trigger_prefixes are exclusive; patterns are globs from the repository root.
  file_triggers_enabled = true
  trigger_patterns = concat(
    ["${local.stacks[each.value.stack].dir}/**/*"],
    [for m in local.stacks[each.value.stack].modules : "infrastructure/modules/${m}/**/*"],
  )

  # Pull requests get speculative plans; merges to vcs_branch plan and apply.
  speculative_enabled    = true
  auto_apply             = true
  auto_apply_run_trigger = true
  queue_all_runs         = false
  allow_destroy_plan     = true

  vcs_repo {
    identifier                 = var.vcs_identifier
    branch                     = var.vcs_branch
    oauth_token_id             = var.vcs_oauth_token_id
    github_app_installation_id = var.github_app_installation_id
  }
}

# Who may read whose outputs (tfe_outputs): shared → servers and load clients, servers → load clients.
resource "tfe_workspace_settings" "this" {
  for_each = tfe_workspace.this

  workspace_id        = each.value.id
  execution_mode      = "remote"
  global_remote_state = false
  remote_state_consumer_ids = (
    local.workspaces[each.key].stack == "shared" ? [for k, w in tfe_workspace.this : w.id if k != "shared"] :
    local.workspaces[each.key].stack == "server" ? [for k, _ in local.loadclients : tfe_workspace.this[k].id] :
    []
  )
}

resource "tfe_variable" "workspace" {
  for_each = local.workspace_vars

  workspace_id = tfe_workspace.this[each.value.workspace].id
  category     = "terraform"
  key          = each.value.key
  value        = each.value.value
  hcl          = each.value.hcl
}

# An apply of the shared stack plans every server; an apply of the tested server plans every load client.
resource "tfe_run_trigger" "shared_to_server" {
  for_each = local.servers

  workspace_id  = tfe_workspace.this[each.key].id
  sourceable_id = tfe_workspace.this["shared"].id
}

resource "tfe_run_trigger" "server_to_loadclient" {
  for_each = local.loadclients

  workspace_id  = tfe_workspace.this[each.key].id
  sourceable_id = tfe_workspace.this["server-${var.load_target}"].id
}
