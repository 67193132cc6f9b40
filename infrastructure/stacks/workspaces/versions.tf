terraform {
  required_version = "~> 1.11.4"

  # The bootstrap workspace: CLI-driven and applied by hand (docs/infrastructure.md). It creates every
  # other workspace.
  cloud {
    organization = "hyperstore"

    workspaces {
      name = "hyperstore-workspaces"
    }
  }

  required_providers {
    tfe = {
      source  = "hashicorp/tfe"
      version = "~> 0.71"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.66"
    }
  }
}
