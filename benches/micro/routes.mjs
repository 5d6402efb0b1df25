// A realistic route table for the router benchmark and the router's randomized tests, modeled on
// the shape of the GitHub REST API (v3): deep "/repos/:owner/:repo/..." trees, static
// sub-resources under parameters, parameters under static siblings ("/user/emails" next to
// "/user/:account_id"), rest-of-path parameters (git refs, file paths) as wildcards.
// Written for this benchmark, not copied from any published specification; where GitHub uses
// two names for one position ({commit_sha} / {ref}) one name is used (both routers would accept two).
//
// Each line: METHODS PATH. Syntax: ":name" parameter, "*" rest of the path (Armature syntax;
// find-my-way and Hono read the same syntax for these patterns).

const TABLE = `
GET /
GET /emojis
GET /events
GET /feeds
GET /meta
GET /octocat
GET /rate_limit
GET /zen
GET /versions
GET /licenses
GET /licenses/:license
GET /gitignore/templates
GET /gitignore/templates/:name
GET /codes_of_conduct
GET /codes_of_conduct/:key
POST /markdown
POST /markdown/raw
GET /organizations
GET /repositories
GET /users
GET /networks/:owner/:repo/events
GET PUT /notifications
GET PATCH DELETE /notifications/threads/:thread_id
GET /search/code
GET /search/commits
GET /search/issues
GET /search/labels
GET /search/repositories
GET /search/topics
GET /search/users
GET /app
GET /app/hook/config
PATCH /app/hook/config
GET /app/hook/deliveries
GET /app/hook/deliveries/:delivery_id
POST /app/hook/deliveries/:delivery_id/attempts
GET /app/installation-requests
GET /app/installations
GET DELETE /app/installations/:installation_id
POST /app/installations/:installation_id/access_tokens
PUT DELETE /app/installations/:installation_id/suspended
GET /apps/:app_slug
POST PATCH DELETE /applications/:client_id/token
DELETE /applications/:client_id/grant
POST /applications/:client_id/token/scoped
GET POST /gists
GET /gists/public
GET /gists/starred
GET PATCH DELETE /gists/:gist_id
GET /gists/:gist_id/commits
GET POST /gists/:gist_id/forks
GET PUT DELETE /gists/:gist_id/star
GET /gists/:gist_id/:sha
GET PATCH /user
GET /user/:account_id
GET POST DELETE /user/emails
PATCH /user/email/visibility
GET /user/public_emails
GET /user/followers
GET /user/following
GET PUT DELETE /user/following/:username
GET POST /user/keys
GET DELETE /user/keys/:key_id
GET POST /user/repos
GET /user/repository_invitations
PATCH DELETE /user/repository_invitations/:invitation_id
GET /user/starred
GET PUT DELETE /user/starred/:owner/:repo
GET /user/subscriptions
GET /user/orgs
GET /user/teams
GET /user/issues
GET /user/memberships/orgs
GET PATCH /user/memberships/orgs/:org
GET /user/marketplace_purchases
GET /users/:username
GET /users/:username/events
GET /users/:username/events/public
GET /users/:username/events/orgs/:org
GET /users/:username/received_events
GET /users/:username/received_events/public
GET /users/:username/followers
GET /users/:username/following
GET /users/:username/following/:target_user
GET /users/:username/gists
GET /users/:username/keys
GET /users/:username/gpg_keys
GET /users/:username/ssh_signing_keys
GET /users/:username/social_accounts
GET /users/:username/orgs
GET /users/:username/repos
GET /users/:username/starred
GET /users/:username/subscriptions
GET /users/:username/hovercard
GET /users/:username/installation
GET /users/:username/projects
GET /users/:username/settings/billing/actions
GET PATCH /orgs/:org
GET /orgs/:org/events
GET /orgs/:org/failed_invitations
GET POST /orgs/:org/hooks
GET PATCH DELETE /orgs/:org/hooks/:hook_id
GET /orgs/:org/installation
GET /orgs/:org/installations
GET POST /orgs/:org/invitations
DELETE /orgs/:org/invitations/:invitation_id
GET /orgs/:org/invitations/:invitation_id/teams
GET /orgs/:org/issues
GET /orgs/:org/members
GET DELETE /orgs/:org/members/:username
GET /orgs/:org/outside_collaborators
PUT DELETE /orgs/:org/outside_collaborators/:username
GET POST /orgs/:org/repos
GET POST /orgs/:org/teams
GET PATCH DELETE /orgs/:org/teams/:team_slug
GET /orgs/:org/teams/:team_slug/members
GET PUT DELETE /orgs/:org/teams/:team_slug/memberships/:username
GET /orgs/:org/teams/:team_slug/repos
GET /orgs/:org/teams/:team_slug/teams
GET /orgs/:org/actions/permissions
GET /orgs/:org/actions/runners
GET DELETE /orgs/:org/actions/runners/:runner_id
GET POST PUT /orgs/:org/actions/runners/:runner_id/labels
DELETE /orgs/:org/actions/runners/:runner_id/labels/:name
GET /orgs/:org/actions/secrets
GET /orgs/:org/actions/secrets/public-key
GET PUT DELETE /orgs/:org/actions/secrets/:secret_name
GET /orgs/:org/dependabot/alerts
GET /orgs/:org/code-scanning/alerts
GET /orgs/:org/secret-scanning/alerts
GET /orgs/:org/settings/billing/actions
GET PATCH DELETE /repos/:owner/:repo
GET /repos/:owner/:repo/activity
GET /repos/:owner/:repo/assignees
GET /repos/:owner/:repo/assignees/:assignee
GET /repos/:owner/:repo/branches
GET /repos/:owner/:repo/branches/:branch
GET PUT DELETE /repos/:owner/:repo/branches/:branch/protection
POST /repos/:owner/:repo/branches/:branch/rename
POST /repos/:owner/:repo/merge-upstream
POST /repos/:owner/:repo/merges
GET /repos/:owner/:repo/collaborators
GET PUT DELETE /repos/:owner/:repo/collaborators/:username
GET /repos/:owner/:repo/collaborators/:username/permission
GET /repos/:owner/:repo/comments
GET PATCH DELETE /repos/:owner/:repo/comments/:comment_id
GET POST /repos/:owner/:repo/comments/:comment_id/reactions
DELETE /repos/:owner/:repo/comments/:comment_id/reactions/:reaction_id
GET /repos/:owner/:repo/commits
GET /repos/:owner/:repo/commits/:ref
GET POST /repos/:owner/:repo/commits/:ref/comments
GET /repos/:owner/:repo/commits/:ref/pulls
GET /repos/:owner/:repo/commits/:ref/status
GET /repos/:owner/:repo/commits/:ref/statuses
GET /repos/:owner/:repo/commits/:ref/check-runs
GET /repos/:owner/:repo/commits/:ref/check-suites
GET /repos/:owner/:repo/compare/:basehead
GET PUT DELETE /repos/:owner/:repo/contents/*
GET /repos/:owner/:repo/readme
GET /repos/:owner/:repo/readme/:dir
GET /repos/:owner/:repo/license
GET /repos/:owner/:repo/tarball/:ref
GET /repos/:owner/:repo/zipball/:ref
GET /repos/:owner/:repo/contributors
GET /repos/:owner/:repo/events
GET /repos/:owner/:repo/forks
POST /repos/:owner/:repo/forks
GET /repos/:owner/:repo/languages
GET /repos/:owner/:repo/tags
GET /repos/:owner/:repo/teams
GET PUT /repos/:owner/:repo/topics
POST /repos/:owner/:repo/transfer
GET /repos/:owner/:repo/stargazers
GET /repos/:owner/:repo/subscribers
GET PUT DELETE /repos/:owner/:repo/subscription
GET /repos/:owner/:repo/notifications
POST /repos/:owner/:repo/dispatches
POST /repos/:owner/:repo/generate
GET /repos/:owner/:repo/stats/code_frequency
GET /repos/:owner/:repo/stats/commit_activity
GET /repos/:owner/:repo/stats/contributors
GET /repos/:owner/:repo/stats/participation
GET /repos/:owner/:repo/stats/punch_card
GET /repos/:owner/:repo/traffic/clones
GET /repos/:owner/:repo/traffic/popular/paths
GET /repos/:owner/:repo/traffic/popular/referrers
GET /repos/:owner/:repo/traffic/views
POST /repos/:owner/:repo/git/blobs
GET /repos/:owner/:repo/git/blobs/:file_sha
POST /repos/:owner/:repo/git/commits
GET /repos/:owner/:repo/git/commits/:commit_sha
GET /repos/:owner/:repo/git/matching-refs/*
GET /repos/:owner/:repo/git/ref/*
POST /repos/:owner/:repo/git/refs
PATCH DELETE /repos/:owner/:repo/git/refs/*
POST /repos/:owner/:repo/git/tags
GET /repos/:owner/:repo/git/tags/:tag_sha
POST /repos/:owner/:repo/git/trees
GET /repos/:owner/:repo/git/trees/:tree_sha
GET POST /repos/:owner/:repo/hooks
GET PATCH DELETE /repos/:owner/:repo/hooks/:hook_id
GET PATCH /repos/:owner/:repo/hooks/:hook_id/config
GET /repos/:owner/:repo/hooks/:hook_id/deliveries
POST /repos/:owner/:repo/hooks/:hook_id/pings
POST /repos/:owner/:repo/hooks/:hook_id/tests
GET /repos/:owner/:repo/invitations
PATCH DELETE /repos/:owner/:repo/invitations/:invitation_id
GET POST /repos/:owner/:repo/issues
GET /repos/:owner/:repo/issues/comments
GET PATCH DELETE /repos/:owner/:repo/issues/comments/:comment_id
GET /repos/:owner/:repo/issues/events
GET /repos/:owner/:repo/issues/events/:event_id
GET PATCH /repos/:owner/:repo/issues/:issue_number
POST DELETE /repos/:owner/:repo/issues/:issue_number/assignees
GET /repos/:owner/:repo/issues/:issue_number/assignees/:assignee
GET POST /repos/:owner/:repo/issues/:issue_number/comments
GET /repos/:owner/:repo/issues/:issue_number/events
GET POST PUT DELETE /repos/:owner/:repo/issues/:issue_number/labels
DELETE /repos/:owner/:repo/issues/:issue_number/labels/:name
PUT DELETE /repos/:owner/:repo/issues/:issue_number/lock
GET POST /repos/:owner/:repo/issues/:issue_number/reactions
DELETE /repos/:owner/:repo/issues/:issue_number/reactions/:reaction_id
GET /repos/:owner/:repo/issues/:issue_number/timeline
GET POST /repos/:owner/:repo/keys
GET DELETE /repos/:owner/:repo/keys/:key_id
GET POST /repos/:owner/:repo/labels
GET PATCH DELETE /repos/:owner/:repo/labels/:name
GET POST /repos/:owner/:repo/milestones
GET PATCH DELETE /repos/:owner/:repo/milestones/:milestone_number
GET /repos/:owner/:repo/milestones/:milestone_number/labels
GET POST PUT DELETE /repos/:owner/:repo/pages
GET POST /repos/:owner/:repo/pages/builds
GET /repos/:owner/:repo/pages/builds/latest
GET /repos/:owner/:repo/pages/builds/:build_id
GET /repos/:owner/:repo/pages/health
GET POST /repos/:owner/:repo/projects
GET POST /repos/:owner/:repo/pulls
GET /repos/:owner/:repo/pulls/comments
GET PATCH DELETE /repos/:owner/:repo/pulls/comments/:comment_id
GET PATCH /repos/:owner/:repo/pulls/:pull_number
GET POST /repos/:owner/:repo/pulls/:pull_number/comments
POST /repos/:owner/:repo/pulls/:pull_number/comments/:comment_id/replies
GET /repos/:owner/:repo/pulls/:pull_number/commits
GET /repos/:owner/:repo/pulls/:pull_number/files
GET PUT /repos/:owner/:repo/pulls/:pull_number/merge
GET POST DELETE /repos/:owner/:repo/pulls/:pull_number/requested_reviewers
GET POST /repos/:owner/:repo/pulls/:pull_number/reviews
GET PUT DELETE /repos/:owner/:repo/pulls/:pull_number/reviews/:review_id
GET /repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/comments
PUT /repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/dismissals
POST /repos/:owner/:repo/pulls/:pull_number/reviews/:review_id/events
PUT /repos/:owner/:repo/pulls/:pull_number/update-branch
GET POST /repos/:owner/:repo/releases
GET /repos/:owner/:repo/releases/latest
POST /repos/:owner/:repo/releases/generate-notes
GET /repos/:owner/:repo/releases/tags/:tag
GET PATCH DELETE /repos/:owner/:repo/releases/assets/:asset_id
GET PATCH DELETE /repos/:owner/:repo/releases/:release_id
GET /repos/:owner/:repo/releases/:release_id/assets
GET POST /repos/:owner/:repo/releases/:release_id/reactions
GET POST /repos/:owner/:repo/deployments
GET DELETE /repos/:owner/:repo/deployments/:deployment_id
GET POST /repos/:owner/:repo/deployments/:deployment_id/statuses
GET /repos/:owner/:repo/deployments/:deployment_id/statuses/:status_id
GET /repos/:owner/:repo/environments
GET PUT DELETE /repos/:owner/:repo/environments/:environment_name
POST /repos/:owner/:repo/statuses/:sha
POST /repos/:owner/:repo/check-runs
GET PATCH /repos/:owner/:repo/check-runs/:check_run_id
GET /repos/:owner/:repo/check-runs/:check_run_id/annotations
POST /repos/:owner/:repo/check-runs/:check_run_id/rerequest
POST /repos/:owner/:repo/check-suites
PATCH /repos/:owner/:repo/check-suites/preferences
GET /repos/:owner/:repo/check-suites/:check_suite_id
GET /repos/:owner/:repo/check-suites/:check_suite_id/check-runs
GET /repos/:owner/:repo/code-scanning/alerts
GET PATCH /repos/:owner/:repo/code-scanning/alerts/:alert_number
GET /repos/:owner/:repo/code-scanning/alerts/:alert_number/instances
GET /repos/:owner/:repo/dependabot/alerts
GET PATCH /repos/:owner/:repo/dependabot/alerts/:alert_number
GET /repos/:owner/:repo/secret-scanning/alerts
GET PATCH /repos/:owner/:repo/secret-scanning/alerts/:alert_number
GET /repos/:owner/:repo/secret-scanning/alerts/:alert_number/locations
GET /repos/:owner/:repo/actions/artifacts
GET DELETE /repos/:owner/:repo/actions/artifacts/:artifact_id
GET /repos/:owner/:repo/actions/artifacts/:artifact_id/:archive_format
GET /repos/:owner/:repo/actions/jobs/:job_id
GET /repos/:owner/:repo/actions/jobs/:job_id/logs
POST /repos/:owner/:repo/actions/jobs/:job_id/rerun
GET PUT /repos/:owner/:repo/actions/permissions
GET /repos/:owner/:repo/actions/runners
GET DELETE /repos/:owner/:repo/actions/runners/:runner_id
GET /repos/:owner/:repo/actions/runs
GET DELETE /repos/:owner/:repo/actions/runs/:run_id
GET /repos/:owner/:repo/actions/runs/:run_id/approvals
POST /repos/:owner/:repo/actions/runs/:run_id/approve
GET /repos/:owner/:repo/actions/runs/:run_id/artifacts
GET /repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt_number
GET /repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt_number/jobs
GET /repos/:owner/:repo/actions/runs/:run_id/attempts/:attempt_number/logs
POST /repos/:owner/:repo/actions/runs/:run_id/cancel
GET /repos/:owner/:repo/actions/runs/:run_id/jobs
GET DELETE /repos/:owner/:repo/actions/runs/:run_id/logs
POST /repos/:owner/:repo/actions/runs/:run_id/rerun
POST /repos/:owner/:repo/actions/runs/:run_id/rerun-failed-jobs
GET /repos/:owner/:repo/actions/runs/:run_id/timing
GET /repos/:owner/:repo/actions/secrets
GET /repos/:owner/:repo/actions/secrets/public-key
GET PUT DELETE /repos/:owner/:repo/actions/secrets/:secret_name
GET POST /repos/:owner/:repo/actions/variables
GET PATCH DELETE /repos/:owner/:repo/actions/variables/:name
GET /repos/:owner/:repo/actions/workflows
GET /repos/:owner/:repo/actions/workflows/:workflow_id
PUT /repos/:owner/:repo/actions/workflows/:workflow_id/disable
POST /repos/:owner/:repo/actions/workflows/:workflow_id/dispatches
PUT /repos/:owner/:repo/actions/workflows/:workflow_id/enable
GET /repos/:owner/:repo/actions/workflows/:workflow_id/runs
GET /repos/:owner/:repo/actions/workflows/:workflow_id/timing
GET POST /repos/:owner/:repo/codespaces
GET /repos/:owner/:repo/codespaces/devcontainers
GET /repos/:owner/:repo/codespaces/machines
GET /enterprises/:enterprise/actions/permissions
GET /enterprises/:enterprise/actions/runners
GET /enterprises/:enterprise/dependabot/alerts
GET /enterprises/:enterprise/secret-scanning/alerts
`;

/** [method, pattern] pairs, in table order. */
export const routes = [];
for (const line of TABLE.split('\n')) {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2) continue;
  const path = parts.pop();
  for (const method of parts) routes.push([method, path]);
}

// Sample values for parameters, by name; anything else gets a short word or number.
const VALUES = {
  owner: 'octocat', repo: 'hello-world', org: 'github', username: 'mona', target_user: 'hubot',
  team_slug: 'justice-league', enterprise: 'acme', gist_id: 'aa5a315d61ae9438b18d', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
  commit_sha: '7638417db6d59f3c431d3e1f261cc637155684cd', file_sha: '3a0f86fb8db8eea7ccbb9a95f325ddbedfb25e15',
  tree_sha: '9fb037999f264ba9a7fc6274d15fa3ae2ab98312', tag_sha: '940bd336248efae0f9ee5bc7b2d5c985887b16ac',
  ref: 'main', branch: 'main', basehead: 'main...feature-x', tag: 'v1.0.0', name: 'bug', dir: 'docs',
  license: 'mit', key: 'contributor_covenant', app_slug: 'octoapp', client_id: 'Iv1.8a61f9b3a7aba766',
  package_type: 'container', package_name: 'hello-world-npm', archive_format: 'zip', codespace_name: 'monalisa-octocat-hello-world-g4wpq6h95q',
  secret_name: 'GH_TOKEN', environment_name: 'production', assignee: 'octocat', account_id: '583231',
};
function sampleValue(name, i, variant) {
  const numeric = name.endsWith('_id') || name.endsWith('_number');
  if (variant > 0) return numeric ? String(1000 + variant * 13 + (i % 7)) : `${VALUES[name] ?? 'x'}-${variant}`;
  if (name in VALUES) return VALUES[name];
  if (numeric) return String(1000 + ((i * 7919) % 90000));
  return `x${i}`;
}

/**
 * A request path that matches `pattern`, with sample parameter values. `variant` > 0 gives
 * other values (ids, names with a suffix), distinct for each variant.
 */
export function samplePath(pattern, i = 0, variant = 0) {
  return pattern
    .replace(/:([A-Za-z_$][\w$]*)/g, (_, name) => sampleValue(name, i, variant))
    .replace(/\*$/, variant > 0 ? `src/lib/file-${variant}.ts` : 'src/lib/index.ts');
}
