/** Configuration from the environment, read once: the same names in AWS and on the local stack. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export const config = {
  get tableName(): string {
    return required('TABLE_NAME');
  },
  get stateMachineArn(): string {
    return required('STATE_MACHINE_ARN');
  },
};
