/**
 * The one Node.js major this project runs on: the Lambda runtime in AWS, and the `node` binary that
 * `npm start`, `npm test` and the CDK app run on locally (the `node` devDependency).
 */
export const NODE_MAJOR = 24;

/** Fails fast when a script runs on another Node major (for example the system Node 20). */
export function requireNodeMajor(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== NODE_MAJOR) {
    process.stderr.write(
      `jcg-subsidy needs Node ${NODE_MAJOR} (the Lambda runtime); this is Node ${process.versions.node}.\n` +
        `Run it through npm (npm start, npm test), which uses the node@${NODE_MAJOR} devDependency, ` +
        `and install without --ignore-scripts.\n`,
    );
    process.exit(1);
  }
}
