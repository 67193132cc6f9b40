terraform {
  required_version = "~> 1.11.4"

  # One workspace per load region (hyperstore-loadclient-eu-north-1, ...), all from this directory.
  cloud {
    organization = "hyperstore"

    workspaces {
      tags = ["hyperstore", "loadclient"]
    }
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.66"
    }
    tfe = {
      source  = "hashicorp/tfe"
      version = "~> 0.71"
    }
  }
}
