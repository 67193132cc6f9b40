# Dynamic provider credentials: runs assume these roles through Terraform Cloud's OIDC identity, so no
# long-lived AWS keys are stored anywhere. A run's plan phase (also a pull request's speculative plan, whose
# code anyone who can open one controls) gets a role that can only read; only the apply phase, which runs
# merged code, gets the role that changes things.
resource "aws_iam_openid_connect_provider" "tfc" {
  url            = "https://app.terraform.io"
  client_id_list = ["aws.workload.identity"]
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  # What the runs of the shared, server and load-client stacks manage besides IAM.
  tfc_managed_services = [
    "acm", "application-autoscaling", "cloudwatch", "dlm", "ec2", "ecr", "ecs", "elasticloadbalancing", "logs", "sns",
  ]

  attachable_policy_arns = [
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole",
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
  ]

  # The stacks' own parameters and the public ones they read (AMI ids); the CloudWatch agent's configuration.
  our_parameters = [
    "arn:aws:ssm:*:${local.account_id}:parameter/hyperstore/*",
    "arn:aws:ssm:*::parameter/aws/service/*",
  ]
  agent_parameters = ["arn:aws:ssm:*:${local.account_id}:parameter/AmazonCloudWatch-*"]
  workload_roles   = "arn:aws:iam::${local.account_id}:role/hyperstore*"
  our_buckets      = ["arn:aws:s3:::hyperstore-*", "arn:aws:s3:::hyperstore-*/*"]
}

data "aws_iam_policy_document" "tfc_assume" {
  for_each = toset(["plan", "apply"])

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.tfc.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "app.terraform.io:aud"
      values   = ["aws.workload.identity"]
    }

    condition {
      test     = "StringLike"
      variable = "app.terraform.io:sub"
      values   = ["organization:${var.organization}:project:${var.project_name}:workspace:hyperstore-*:run_phase:${each.key}"]
    }
  }
}

# --- Plan phase: read only -----------------------------------------------------------------------------------

resource "aws_iam_role" "tfc_plan" {
  name                 = "hyperstore-terraform-cloud-plan"
  description          = "Assumed by the plan phase of Hyperstore's Terraform Cloud runs: reads only"
  assume_role_policy   = data.aws_iam_policy_document.tfc_assume["plan"].json
  max_session_duration = 7200
}

resource "aws_iam_role_policy_attachment" "tfc_plan_read" {
  role       = aws_iam_role.tfc_plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# A plan refreshes the stacks' SecureString parameters, so it decrypts those (through SSM) and nothing else of
# the account's parameters and objects.
data "aws_iam_policy_document" "tfc_plan" {
  statement {
    sid       = "OurSecureStrings"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm.*.amazonaws.com"]
    }
  }

  statement {
    sid           = "NoOtherParameters"
    effect        = "Deny"
    actions       = ["ssm:GetParameter*"]
    not_resources = local.our_parameters
  }

  statement {
    sid           = "NoOtherObjects"
    effect        = "Deny"
    actions       = ["s3:GetObject*"]
    not_resources = local.our_buckets
  }
}

resource "aws_iam_role_policy" "tfc_plan" {
  name   = "hyperstore-plan"
  role   = aws_iam_role.tfc_plan.id
  policy = data.aws_iam_policy_document.tfc_plan.json
}

# --- Apply phase ---------------------------------------------------------------------------------------------

resource "aws_iam_role" "tfc" {
  name                 = "hyperstore-terraform-cloud"
  description          = "Assumed by the apply phase of Hyperstore's Terraform Cloud runs"
  assume_role_policy   = data.aws_iam_policy_document.tfc_assume["apply"].json
  max_session_duration = 7200
}

# The most any role of the stacks may do: what ECS tasks, the Redis host, the bastion and Data Lifecycle
# Manager need (AmazonECSTaskExecutionRolePolicy, AmazonSSMManagedInstanceCore, CloudWatchAgentServerPolicy,
# AWSDataLifecycleManagerServiceRole and the modules' inline policies). No IAM, and of SSM only what its agent
# and a parameter read need (not SendCommand or sessions into other instances).
data "aws_iam_policy_document" "workload_boundary" {
  statement {
    sid       = "Workloads"
    actions   = ["cloudwatch:*", "ec2:*", "ec2messages:*", "ecr:*", "logs:*", "ssmmessages:*", "xray:*"]
    resources = ["*"]
  }

  statement {
    sid = "SsmAgent"
    actions = [
      "ssm:DescribeAssociation", "ssm:DescribeDocument", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument",
      "ssm:GetManifest", "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutComplianceItems",
      "ssm:PutConfigurePackageResult", "ssm:PutInventory", "ssm:UpdateAssociationStatus",
      "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "Parameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = concat(local.our_parameters, local.agent_parameters)
  }

  statement {
    sid       = "SecureStrings"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm.*.amazonaws.com"]
    }
  }

  statement {
    sid       = "Results"
    actions   = ["s3:*"]
    resources = local.our_buckets

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "SnapshotSchedules"
    actions   = ["events:*"]
    resources = ["arn:aws:events:*:*:rule/AwsDataLifecycleRule*"]
  }
}

resource "aws_iam_policy" "workload_boundary" {
  name        = "hyperstore-workload-boundary"
  description = "Permissions boundary of every IAM role the Hyperstore stacks create"
  policy      = data.aws_iam_policy_document.workload_boundary.json
}

# What the apply phase may do: the services the stacks use, and IAM only on roles and instance profiles named
# hyperstore*. A role it creates, or whose inline policy it writes or whose managed policies it attaches, must
# carry the workload boundary, which it can neither remove nor change: a role the stacks make never does more
# than the boundary, so a run cannot make itself an administrator through one. Removing a policy needs no
# boundary (it cannot add power, and roles from before the boundary must still be torn down). This workspace
# itself is applied by hand with an administrator's credentials, so the role needs nothing here for it.
data "aws_iam_policy_document" "tfc_runs" {
  statement {
    sid       = "StackServices"
    actions   = [for service in local.tfc_managed_services : "${service}:*"]
    resources = ["*"]
  }

  statement {
    sid = "Parameters"
    actions = [
      "ssm:*Parameter*", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource",
    ]
    resources = local.our_parameters
  }

  statement {
    sid       = "ListParameters"
    actions   = ["ssm:DescribeParameters"]
    resources = ["*"]
  }

  # SecureString parameters are encrypted with the account's aws/ssm key, through SSM only.
  statement {
    sid       = "ParameterEncryption"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm.*.amazonaws.com"]
    }
  }

  # A bucket name is global: the account condition below cannot apply to one not created yet.
  statement {
    sid       = "CreateResultBuckets"
    actions   = ["s3:CreateBucket"]
    resources = ["arn:aws:s3:::hyperstore-*"]
  }

  statement {
    sid       = "ResultBuckets"
    actions   = ["s3:*"]
    resources = local.our_buckets

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid = "WorkloadRoles"
    actions = [
      "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
      "iam:TagRole", "iam:UntagRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:CreateInstanceProfile",
      "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:ListRoleTags",
      "iam:ListInstanceProfileTags",
    ]
    resources = [local.workload_roles, "arn:aws:iam::${local.account_id}:instance-profile/hyperstore*"]
  }

  statement {
    sid       = "WorkloadRolesWithTheBoundary"
    actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"]
    resources = [local.workload_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.workload_boundary.arn]
    }
  }

  statement {
    sid       = "AttachWithTheBoundary"
    actions   = ["iam:AttachRolePolicy"]
    resources = [local.workload_roles]

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = local.attachable_policy_arns
    }

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.workload_boundary.arn]
    }
  }

  statement {
    sid       = "Detach"
    actions   = ["iam:DetachRolePolicy"]
    resources = [local.workload_roles]

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = local.attachable_policy_arns
    }
  }

  statement {
    sid       = "PassWorkloadRoles"
    actions   = ["iam:PassRole"]
    resources = [local.workload_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["dlm.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]
    }
  }

  # ECS, the load balancer and service auto scaling create their service-linked roles on first use; an alarm
  # with an EC2 action (the Redis host's recovery) needs CloudWatch Events' one.
  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values = [
        "ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com",
        "events.amazonaws.com",
      ]
    }
  }

  statement {
    sid       = "NotTheRunRolesNorTheBoundary"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = [aws_iam_role.tfc.arn, aws_iam_role.tfc_plan.arn, aws_iam_policy.workload_boundary.arn]
  }

  statement {
    sid       = "KeepTheBoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "tfc" {
  name   = "hyperstore-stacks"
  role   = aws_iam_role.tfc.id
  policy = data.aws_iam_policy_document.tfc_runs.json
}
