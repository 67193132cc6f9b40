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

resource "random_password" "loadtest_client_secret" {
  length  = 48
  special = false
}

resource "aws_ssm_parameter" "loadtest_client_secret" {
  name        = "/hyperstore/loadtest/client-secret"
  description = "Secret of OAuth client ${var.loadtest_client_id}, used by the load clients in every region"
  type        = "SecureString"
  value       = random_password.loadtest_client_secret.result
}
