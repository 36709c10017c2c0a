import type { Config } from './config';

/** The shortest API or operator key production accepts: a guessable key is no key. */
export const PRODUCTION_MIN_KEY_LENGTH = 32;

/**
 * Secrets that have been public in this repository (README, docker-compose.yml, test helpers):
 * they protect nothing, so production refuses them wherever they appear.
 */
export const PUBLISHED_DEVELOPMENT_SECRETS: readonly string[] = [
  'dev-platform-key-0001',
  'dev-operator-key-0001',
  'dev-member-signing-secret-0000000001',
  'test-platform-key-0001',
  'test-operator-key-0001',
  'test-member-signing-secret-0001-abcdef',
];

const published = (secret: string): boolean => PUBLISHED_DEVELOPMENT_SECRETS.includes(secret);

function keyProblems(variable: string, keys: readonly string[]): string[] {
  return keys.flatMap((key, index) => {
    const which = `${variable}: entry ${index + 1}`;
    if (published(key)) return [`${which} is a published development key`];
    if (key.length < PRODUCTION_MIN_KEY_LENGTH)
      return [`${which} is ${key.length} characters; production needs at least ${PRODUCTION_MIN_KEY_LENGTH}`];
    return [];
  });
}

/**
 * What a production configuration must not be, each problem named (never a secret's value): no
 * development secret, API and operator keys of at least 32 characters, and the keys production
 * cannot run without (member token keys, operator keys).
 */
export function productionProblems(config: Config): string[] {
  const problems = [
    ...keyProblems('API_KEYS', config.API_KEYS),
    ...keyProblems(
      'OPERATOR_KEYS',
      config.OPERATOR_KEYS.map((operator) => operator.key),
    ),
  ];
  if (config.OPERATOR_KEYS.length === 0) problems.push('OPERATOR_KEYS: required in production (name:role:key entries)');
  if (config.MEMBER_TOKEN_KEYS === undefined) {
    problems.push('MEMBER_TOKEN_KEYS: required in production (the JSON Web Key Set member tokens are verified with)');
  } else {
    for (const key of config.MEMBER_TOKEN_KEYS) {
      if (key.alg === 'HS256' && published(Buffer.from(key.k, 'base64url').toString('utf8'))) {
        problems.push(`MEMBER_TOKEN_KEYS: key ${key.kid} is a published development secret`);
      }
    }
  }
  return problems;
}
