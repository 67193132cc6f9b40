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

# The stacks create IAM roles, VPCs, instances and more; narrow this once the set of services settles.
resource "aws_iam_role_policy_attachment" "tfc" {
  role       = aws_iam_role.tfc.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
