# Dynamic provider credentials: runs assume this role through Terraform Cloud's OIDC identity, so no
# long-lived AWS keys are stored anywhere.
resource "aws_iam_openid_connect_provider" "tfc" {
  url            = "https://app.terraform.io"
  client_id_list = ["aws.workload.identity"]
}

data "aws_iam_policy_document" "tfc_assume" {
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
      values   = ["organization:${var.organization}:project:${var.project_name}:workspace:hyperstore-*:run_phase:*"]
    }
  }
}

resource "aws_iam_role" "tfc" {
  name                 = "hyperstore-terraform-cloud"
  description          = "Assumed by Hyperstore's Terraform Cloud runs"
  assume_role_policy   = data.aws_iam_policy_document.tfc_assume.json
  max_session_duration = 7200
}

# What the runs of the shared, server and load-client stacks may do: the services those stacks use, and IAM
# only on roles and instance profiles named hyperstore*. Every role a run creates carries the workload
# boundary below, and a run may neither create a role without it nor remove it: a role the stacks make can
# never do more than the boundary, which has no IAM, so a run cannot make itself an administrator through
# a role. This workspace itself is applied by hand with an administrator's credentials, so the role needs
# nothing here for it (and is denied any change to itself).
locals {
  tfc_managed_services = [
    "acm", "application-autoscaling", "cloudwatch", "dlm", "ec2", "ecr", "ecs", "elasticloadbalancing", "logs", "sns",
  ]

  attachable_policy_arns = [
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole",
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
  ]
}

# The most any role of the stacks may do: what ECS tasks, the Redis host, the bastion and Data Lifecycle
# Manager need (AmazonECSTaskExecutionRolePolicy, AmazonSSMManagedInstanceCore, CloudWatchAgentServerPolicy,
# AWSDataLifecycleManagerServiceRole and the modules' inline policies), by service.
data "aws_iam_policy_document" "workload_boundary" {
  statement {
    sid = "Workloads"
    actions = [
      "cloudwatch:*", "ec2:*", "ec2messages:*", "ecr:*", "logs:*", "ssm:*", "ssmmessages:*", "xray:*",
    ]
    resources = ["*"]
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
    resources = ["arn:aws:s3:::hyperstore-*", "arn:aws:s3:::hyperstore-*/*"]
  }

  # The SSM agent needs ssm:* for itself, but no role of the stacks reads parameters outside these paths.
  statement {
    sid           = "OnlyOurParameters"
    effect        = "Deny"
    actions       = ["ssm:GetParameter*", "ssm:PutParameter", "ssm:DeleteParameter*", "ssm:LabelParameterVersion"]
    not_resources = ["arn:aws:ssm:*:*:parameter/hyperstore/*", "arn:aws:ssm:*::parameter/aws/service/*", "arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"]
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
    resources = [
      "arn:aws:ssm:*:*:parameter/hyperstore/*",
      "arn:aws:ssm:*::parameter/aws/service/*",
    ]
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

  statement {
    sid       = "ResultBuckets"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::hyperstore-*", "arn:aws:s3:::hyperstore-*/*"]
  }

  statement {
    sid = "WorkloadRoles"
    actions = [
      "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
      "iam:TagRole", "iam:UntagRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole", "iam:GetRolePolicy", "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile",
      "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
      "iam:UntagInstanceProfile", "iam:ListRoleTags", "iam:ListInstanceProfileTags",
    ]
    resources = ["arn:aws:iam::*:role/hyperstore*", "arn:aws:iam::*:instance-profile/hyperstore*"]
  }

  statement {
    sid       = "WorkloadRolesWithTheBoundary"
    actions   = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"]
    resources = ["arn:aws:iam::*:role/hyperstore*"]

    condition {
      test     = "ArnEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.workload_boundary.arn]
    }
  }

  statement {
    sid       = "WorkloadRolePolicies"
    actions   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
    resources = ["arn:aws:iam::*:role/hyperstore*"]

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = local.attachable_policy_arns
    }

    condition {
      test     = "ArnEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.workload_boundary.arn]
    }
  }

  statement {
    sid       = "PassWorkloadRoles"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::*:role/hyperstore*"]

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
    sid       = "NotThisRole"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = [aws_iam_role.tfc.arn]
  }

  statement {
    sid       = "KeepTheBoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"]
    resources = ["arn:aws:iam::*:role/*", aws_iam_policy.workload_boundary.arn]
  }
}

resource "aws_iam_role_policy" "tfc" {
  name   = "hyperstore-stacks"
  role   = aws_iam_role.tfc.id
  policy = data.aws_iam_policy_document.tfc_runs.json
}
