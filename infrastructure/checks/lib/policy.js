'use strict';
// Policy rules: what must hold for Hyperstore's infrastructure beyond being valid Terraform.
//
// They read literals only: a setting that comes from a variable cannot be proven here and is reported,
// so the safe value is written in the code (encrypted = true), not passed in.
//
//   policy-open-ingress  no ingress from 0.0.0.0/0 or ::/0, except ports 80/443 on the security group
//                        of a network load balancer (its listeners).
//   policy-public        no public IP on instances, launch templates or ECS services, nothing placed in
//                        a subnet whose reference says "public", every S3 bucket has a public access block.
//   policy-log-retention every CloudWatch log group sets retention_in_days (not 0 = forever).
//   policy-encryption    EBS volumes, instance and launch-template disks encrypted; S3 buckets have a
//                        server-side encryption configuration.
//   policy-secret-type   SSM parameters that hold secrets are SecureString.
//   policy-admin         nothing grants everything: no AdministratorAccess, IAMFullAccess or PowerUserAccess
//                        attached, no Allow statement of a policy document whose actions include "*" or "iam:*".

const { attrs, blocks, attr, literal } = require('./outline');

const WORLD = /"(0\.0\.0\.0\/0|::\/0)"/;
const NLB_PORTS = new Set([80, 443]);
const SECRET_NAME = /password|secret|private|signing|token|key/i;
const BROAD_MANAGED_POLICY = /"arn:aws:iam::aws:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)"/;
const EVERY_ACTION = /"(\*|iam:\*)"/;

const resources = (body) => blocks(body, 'resource').map((b) => ({ type: b.labels[0], name: b.labels[1], block: b }));
const allResources = (mod) => [...mod.resources.values()].map((r) => ({ type: r.block.labels[0], name: r.block.labels[1], block: r.block }));

// Nested blocks by type, static or dynamic (the dynamic block's content).
function nested(body, type) {
  const direct = blocks(body, type);
  const dynamic = blocks(body, 'dynamic')
    .filter((d) => d.labels[0] === type)
    .flatMap((d) => blocks(d.body, 'content'));
  return [...direct, ...dynamic];
}

function isTrue(a) {
  const v = literal(a?.expr);
  return v === true || v === 'true';
}

function securityGroupName(expr) {
  return /\baws_security_group\.([A-Za-z0-9_-]+)/.exec(expr ?? '')?.[1];
}

// World-open ingress is allowed only on 80/443 of a security group attached to a network load balancer.
function isNlbListenerIngress(mod, sgName, fromExpr, toExpr) {
  const from = literal(fromExpr);
  const to = literal(toExpr);
  if (!sgName || from !== to || !NLB_PORTS.has(from)) return false;
  return allResources(mod).some(
    (r) =>
      r.type === 'aws_lb' &&
      literal(attr(r.block.body, 'load_balancer_type')?.expr) === 'network' &&
      new RegExp(`\\baws_security_group\\.${sgName}\\b`).test(attr(r.block.body, 'security_groups')?.expr ?? ''),
  );
}

function checkIngress(mod, r, report) {
  const open = (a) => a && WORLD.test(a.expr);
  const deny = (line) =>
    report(line, 'policy-open-ingress', `${r.type}.${r.name}: ingress from the whole internet (only NLB listeners on 80/443 may have it)`);
  if (r.type === 'aws_security_group') {
    for (const ing of nested(r.block.body, 'ingress')) {
      const a = [attr(ing.body, 'cidr_blocks'), attr(ing.body, 'ipv6_cidr_blocks')].find(open);
      if (a && !isNlbListenerIngress(mod, r.name, attr(ing.body, 'from_port')?.expr, attr(ing.body, 'to_port')?.expr)) deny(a.line);
    }
  } else if (r.type === 'aws_security_group_rule') {
    if (literal(attr(r.block.body, 'type')?.expr) !== 'ingress') return;
    const a = [attr(r.block.body, 'cidr_blocks'), attr(r.block.body, 'ipv6_cidr_blocks')].find(open);
    const sg = securityGroupName(attr(r.block.body, 'security_group_id')?.expr);
    if (a && !isNlbListenerIngress(mod, sg, attr(r.block.body, 'from_port')?.expr, attr(r.block.body, 'to_port')?.expr)) deny(a.line);
  } else if (r.type === 'aws_vpc_security_group_ingress_rule') {
    const a = [attr(r.block.body, 'cidr_ipv4'), attr(r.block.body, 'cidr_ipv6')].find(open);
    const sg = securityGroupName(attr(r.block.body, 'security_group_id')?.expr);
    if (a && !isNlbListenerIngress(mod, sg, attr(r.block.body, 'from_port')?.expr, attr(r.block.body, 'to_port')?.expr)) deny(a.line);
  }
}

function checkPublic(mod, r, report) {
  const where = `${r.type}.${r.name}`;
  const flagTrue = (a, what) => isTrue(a) && report(a.line, 'policy-public', `${where}: ${what}`);
  const flagPublicSubnet = (a) =>
    a && /public/i.test(a.expr) && report(a.line, 'policy-public', `${where}: placed in a public subnet (${a.expr})`);
  const body = r.block.body;
  switch (r.type) {
    case 'aws_instance':
      flagTrue(attr(body, 'associate_public_ip_address'), 'has a public IP address');
      flagPublicSubnet(attr(body, 'subnet_id'));
      break;
    case 'aws_launch_template':
      for (const ni of nested(body, 'network_interfaces')) flagTrue(attr(ni.body, 'associate_public_ip_address'), 'has a public IP address');
      break;
    case 'aws_ecs_service':
      for (const nc of nested(body, 'network_configuration')) {
        flagTrue(attr(nc.body, 'assign_public_ip'), 'tasks get public IP addresses');
        flagPublicSubnet(attr(nc.body, 'subnets'));
      }
      break;
    case 'aws_s3_bucket':
      if (!referencedBy(mod, 'aws_s3_bucket_public_access_block', 'bucket', r.name)) {
        report(r.block.line, 'policy-public', `${where}: no aws_s3_bucket_public_access_block for this bucket`);
      }
      break;
    default:
  }
}

function referencedBy(mod, type, argument, bucketName) {
  const ref = new RegExp(`\\baws_s3_bucket\\.${bucketName}\\b`);
  return allResources(mod).some((x) => x.type === type && ref.test(attr(x.block.body, argument)?.expr ?? ''));
}

function checkLogs(r, report) {
  if (r.type !== 'aws_cloudwatch_log_group') return;
  const a = attr(r.block.body, 'retention_in_days');
  if (!a || literal(a.expr) === 0) {
    report(a?.line ?? r.block.line, 'policy-log-retention', `${r.type}.${r.name}: set retention_in_days (logs are otherwise kept forever)`);
  }
}

function checkEncryption(mod, r, report) {
  const where = `${r.type}.${r.name}`;
  const needEncrypted = (b, what) => {
    const a = attr(b.body, 'encrypted');
    if (!isTrue(a)) report(a?.line ?? b.line, 'policy-encryption', `${where}: ${what} must set encrypted = true`);
  };
  const body = r.block.body;
  switch (r.type) {
    case 'aws_ebs_volume':
      needEncrypted(r.block, 'the volume');
      break;
    case 'aws_instance': {
      const roots = nested(body, 'root_block_device');
      if (roots.length === 0) report(r.block.line, 'policy-encryption', `${where}: add a root_block_device with encrypted = true`);
      for (const b of roots) needEncrypted(b, 'root_block_device');
      for (const b of nested(body, 'ebs_block_device')) needEncrypted(b, 'ebs_block_device');
      break;
    }
    case 'aws_launch_template':
      for (const m of nested(body, 'block_device_mappings')) for (const e of nested(m.body, 'ebs')) needEncrypted(e, 'block_device_mappings.ebs');
      break;
    case 'aws_s3_bucket':
      if (!referencedBy(mod, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket', r.name)) {
        report(r.block.line, 'policy-encryption', `${where}: no aws_s3_bucket_server_side_encryption_configuration for this bucket`);
      }
      break;
    default:
  }
}

function checkSecretType(r, report) {
  if (r.type !== 'aws_ssm_parameter') return;
  const name = attr(r.block.body, 'name')?.expr ?? '';
  if (!SECRET_NAME.test(r.name) && !SECRET_NAME.test(name)) return;
  const type = attr(r.block.body, 'type');
  if (literal(type?.expr) !== 'SecureString') {
    report(type?.line ?? r.block.line, 'policy-secret-type', `aws_ssm_parameter.${r.name} holds a secret: type must be "SecureString"`);
  }
}

function checkAdmin(b, report) {
  const where = `${b.block.labels[0]}.${b.name}`;
  for (const a of attrs(b.block.body)) {
    if (BROAD_MANAGED_POLICY.test(a.expr)) report(a.line, 'policy-admin', `${where}: attaches a policy that grants everything (${a.expr})`);
  }
  if (b.type !== 'aws_iam_policy_document') return;
  for (const st of nested(b.block.body, 'statement')) {
    if (literal(attr(st.body, 'effect')?.expr) === 'Deny') continue;
    const actions = attr(st.body, 'actions');
    if (actions && EVERY_ACTION.test(actions.expr)) {
      report(actions.line, 'policy-admin', `${where}: an Allow statement grants every action (${actions.expr}); name the services`);
    }
  }
}

function check(f, mod, report) {
  const dataSources = blocks(f.body, 'data').map((b) => ({ type: b.labels[0], name: b.labels[1], block: b }));
  for (const d of dataSources) checkAdmin(d, report);
  for (const r of resources(f.body)) {
    checkAdmin(r, report);
    checkIngress(mod, r, report);
    checkPublic(mod, r, report);
    checkLogs(r, report);
    checkEncryption(mod, r, report);
    checkSecretType(r, report);
  }
}

module.exports = { check, attrs };
