terraform {
  required_version = "~> 1.11.4"

  # One workspace per server region (hyperstore-server-eu, ...), all from this directory; the
  # workspace variables say which region. Locally: terraform init, then pick the workspace.
  cloud {
    organization = "hyperstore"

    workspaces {
      tags = ["hyperstore", "server"]
    }
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.66"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = "~> 5.14"
    }
    tfe = {
      source  = "hashicorp/tfe"
      version = "~> 0.71"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.1"
    }
  }
}
