# Amazon Linux 2023 ships the SSM agent; the public parameter always names the current image.
data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
}

resource "aws_security_group" "bastion" {
  name_prefix = "${var.name}-"
  description = "Bastion: no inbound at all, Session Manager only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.bastion.id
  description       = "Session Manager and port forwarding to Redis"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

module "instance_role" {
  source = "../ssm-instance-role"

  name                 = var.name
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_instance" "this" {
  ami                         = data.aws_ssm_parameter.al2023.insecure_value
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  iam_instance_profile        = module.instance_role.instance_profile_name
  associate_public_ip_address = false

  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 8
    encrypted   = true
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    ignore_changes = [ami]
  }
}

# The role and profile moved into the shared module; these keep them (no replacement of the instance).
moved {
  from = aws_iam_role.bastion
  to   = module.instance_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.ssm_core
  to   = module.instance_role.aws_iam_role_policy_attachment.ssm_core
}

moved {
  from = aws_iam_instance_profile.bastion
  to   = module.instance_role.aws_iam_instance_profile.this
}
