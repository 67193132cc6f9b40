terraform {
  required_version = "~> 1.11.4"

  cloud {
    organization = "hyperstore"

    workspaces {
      name = "hyperstore-shared"
    }
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.66"
    }
  }
}
