data "aws_region" "current" {}

data "aws_subnet" "this" {
  id = var.subnet_id
}

# Official Debian images (account 136693411767): Debian 12 ships redis-server 7.0.
data "aws_ami" "debian" {
  count = var.ami_id == null ? 1 : 0

  most_recent = true
  owners      = ["136693411767"]

  filter {
    name   = "name"
    values = ["debian-12-${var.architecture}-*"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

locals {
  region          = data.aws_region.current.region
  backup_tag      = "${var.name}-daily"
  log_group_name  = "/ec2/${var.name}"
  data_device_id  = replace(aws_ebs_volume.data.id, "-", "")
  agent_base_url  = "https://s3.${local.region}.amazonaws.com/amazon-ssm-${local.region}/latest/debian_${var.architecture}"
  cwagent_baseurl = "https://amazoncloudwatch-agent-${local.region}.s3.${local.region}.amazonaws.com/debian/${var.architecture}/latest"
}

resource "aws_security_group" "redis" {
  name_prefix = "${var.name}-"
  description = "Redis: only the ECS tasks and the bastion"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

# count, not for_each: the group ids are unknown until their groups exist, their number is not.
resource "aws_vpc_security_group_ingress_rule" "clients" {
  count = length(var.client_security_group_ids)

  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from client group ${count.index}"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = var.client_security_group_ids[count.index]
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.redis.id
  description       = "Packages, SSM, CloudWatch"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

module "instance_role" {
  source = "../ssm-instance-role"

  name                 = var.name
  managed_policy_arns  = ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

data "aws_iam_policy_document" "password" {
  statement {
    actions   = ["ssm:GetParameter"]
    resources = [var.password_parameter_arn]
  }
}

resource "aws_iam_role_policy" "password" {
  name   = "read-redis-password"
  role   = module.instance_role.role_id
  policy = data.aws_iam_policy_document.password.json
}

resource "aws_cloudwatch_log_group" "redis" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# The ledger lives here: a separate volume outlives the instance, is snapshotted daily and can be
# re-attached to a replacement.
resource "aws_ebs_volume" "data" {
  availability_zone = data.aws_subnet.this.availability_zone
  size              = var.data_volume_size_gb
  type              = "gp3"
  encrypted         = true
  final_snapshot    = true

  tags = merge(var.tags, { Name = "${var.name}-data", Backup = local.backup_tag })
}

resource "aws_instance" "this" {
  ami           = coalesce(var.ami_id, one(data.aws_ami.debian[*].id))
  instance_type = var.instance_type
  subnet_id     = var.subnet_id
  # Fixed: a replaced host keeps the address that the services' connection string (an SSM parameter they read at start)
  # holds, so running tasks reconnect to it instead of dialling an address nobody has any more.
  private_ip                  = cidrhost(data.aws_subnet.this.cidr_block, var.private_host_number)
  vpc_security_group_ids      = [aws_security_group.redis.id]
  iam_instance_profile        = module.instance_role.instance_profile_name
  associate_public_ip_address = false
  monitoring                  = true

  user_data = templatefile("${path.module}/cloud-init.yaml.tftpl", {
    region                  = local.region
    data_device             = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${local.data_device_id}"
    password_parameter_name = var.password_parameter_name
    maxmemory_percent       = var.maxmemory_percent
    log_group_name          = local.log_group_name
    ssm_agent_url           = "${local.agent_base_url}/amazon-ssm-agent.deb"
    cloudwatch_agent_url    = "${local.cwagent_baseurl}/amazon-cloudwatch-agent.deb"
  })

  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 10
    encrypted   = true
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    # A newer Debian image or a changed cloud-init must not restart the ledger's host on its own:
    # roll it deliberately (terraform apply -replace=...); the data volume survives.
    ignore_changes = [ami, user_data]
  }
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.this.id
  # Let Redis flush and stop before the volume goes away on a replacement.
  stop_instance_before_detaching = true
}

# Daily snapshots of the data volume: off the box, in the region's EBS snapshot storage.
data "aws_iam_policy_document" "dlm_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["dlm.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "dlm" {
  name_prefix          = "${substr(var.name, 0, 28)}-dlm-"
  assume_role_policy   = data.aws_iam_policy_document.dlm_assume.json
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "dlm" {
  role       = aws_iam_role.dlm.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

resource "aws_dlm_lifecycle_policy" "daily" {
  description        = "Daily snapshot of ${var.name} data"
  execution_role_arn = aws_iam_role.dlm.arn
  state              = "ENABLED"
  tags               = var.tags

  policy_details {
    resource_types = ["VOLUME"]
    target_tags    = { Backup = local.backup_tag }

    schedule {
      name      = "daily"
      copy_tags = true

      create_rule {
        interval      = 24
        interval_unit = "HOURS"
        times         = [var.snapshot_time_utc]
      }

      retain_rule {
        count = var.snapshot_retain_count
      }
    }
  }
}

# A failed host check moves the instance to healthy hardware with the same volumes and IP.
resource "aws_cloudwatch_metric_alarm" "recover" {
  alarm_name          = "${var.name}-auto-recover"
  alarm_description   = "Recover ${var.name} onto new hardware when the system status check fails"
  namespace           = "AWS/EC2"
  metric_name         = "StatusCheckFailed_System"
  dimensions          = { InstanceId = aws_instance.this.id }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = concat(["arn:aws:automate:${local.region}:ec2:recover"], var.alarm_topic_arns)
  tags                = var.tags
}

# The role and profile moved into the shared module; these keep them (no replacement of the instance).
moved {
  from = aws_iam_role.redis
  to   = module.instance_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.ssm_core
  to   = module.instance_role.aws_iam_role_policy_attachment.ssm_core
}

moved {
  from = aws_iam_role_policy_attachment.cloudwatch_agent
  to   = module.instance_role.aws_iam_role_policy_attachment.extra["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]
}

moved {
  from = aws_iam_instance_profile.redis
  to   = module.instance_role.aws_iam_instance_profile.this
}
