output "terraform_version" {
  description = "Terraform version every workspace runs (from .terraform-version)."
  value       = local.terraform_version
}

output "workspaces" {
  description = "Workspace name by key, with its working directory."
  value       = { for k, w in tfe_workspace.this : k => { name = w.name, working_directory = w.working_directory } }
}

output "release_variable_set_id" {
  description = "Variable set whose image_tag CI updates on each release."
  value       = tfe_variable_set.release.id
}

output "image_tag_variable_id" {
  description = "ID of the image_tag variable CI updates (PATCH /varsets/<set>/relationships/vars/<id>)."
  value       = tfe_variable.image_tag.id
}

output "aws_apply_role_arn" {
  description = "IAM role the apply phase of the runs assumes."
  value       = aws_iam_role.tfc.arn
}

output "aws_plan_role_arn" {
  description = "IAM role the plan phase (and speculative plans) assumes: reads only."
  value       = aws_iam_role.tfc_plan.arn
}
