provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}

locals {
  tags = {
    Project   = "hyperstore"
    Stack     = "shared"
    ManagedBy = "terraform"
  }
  # Role in the load test => OAuth client id in the API.
  load_clients = {
    load  = var.loadtest_client_id
    audit = var.audit_client_id
  }
}

module "ecr" {
  source = "../../modules/ecr"

  name_prefix = "hyperstore"
}

resource "aws_s3_bucket" "results" {
  bucket_prefix = "hyperstore-loadtest-results-"
  # Results are reproducible measurements, not records: teardown may drop them.
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "results" {
  bucket                  = aws_s3_bucket.results.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "results" {
  bucket = aws_s3_bucket.results.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "results" {
  bucket = aws_s3_bucket.results.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "results" {
  bucket = aws_s3_bucket.results.id

  rule {
    id     = "expire-runs"
    status = "Enabled"

    filter {
      prefix = "runs/"
    }

    expiration {
      days = var.results_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# The API generates client secrets (`clients add` prints one once), so Terraform only creates the
# parameters; an operator stores the printed secrets (docs/infrastructure.md, "Bootstrap").
resource "aws_ssm_parameter" "client_secret" {
  for_each = local.load_clients

  name        = "/hyperstore/loadtest/${each.key}-client-secret"
  description = "Secret of OAuth client ${each.value} (${each.key} client of the load test)"
  type        = "SecureString"
  value       = "unset"

  lifecycle {
    ignore_changes = [value]
  }
}
