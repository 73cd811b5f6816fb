import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { API_PATH_PATTERNS, consoleContentSecurityPolicy } from './console.js';

/** How the console signs people in with the OIDC provider the API trusts (authorization code + PKCE). */
export interface ConsoleSignIn {
  issuer: string;
  /** A public client (no secret) registered with the provider, redirect URI https://<console domain>/ */
  clientId: string;
  scope?: string;
  /** Which token the API accepts from this provider (default the access token). */
  token?: 'access_token' | 'id_token';
}

export interface ConsoleSiteProps {
  /** The built console (`npm run build`). */
  assetsDir: string;
  httpApi: HttpApi;
  signIn: ConsoleSignIn;
  /** Origins the console may also fetch from besides its own (the payment-file bucket's download links). */
  connectOrigins?: string[];
}

/**
 * The web console on S3 behind CloudFront. The API's paths go through the same distribution to API
 * Gateway (not cached; every viewer header, Authorization included, passed on), so the console and the
 * API share one origin: relative calls, no CORS.
 */
export class ConsoleSite extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const site = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const issuerOrigin = new URL(props.signIn.issuer).origin;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'jcg-subsidy console: own origin only, plus the sign-in provider',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy([issuerOrigin, ...(props.connectOrigins ?? [])]), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const api: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // With caching disabled, the all-viewer policy forwards Authorization; the Host header stays API Gateway's.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: '晋创谷·晋城 subsidy console and API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, api])),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });

    // Hashed bundles are kept a year; the page and its settings are revalidated, so a deploy shows at once.
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(props.assetsDir, { exclude: ['index.html', '*.map', '**/*.map'] })],
      destinationBucket: site,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
    });
    const page = new BucketDeployment(this, 'Page', {
      sources: [
        Source.data('index.html', readFileSync(path.join(props.assetsDir, 'index.html'), 'utf8')),
        Source.jsonData('console-config.json', { signIn: 'oidc', ...props.signIn }),
      ],
      destinationBucket: site,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/console-config.json', '/'],
    });
    // The page refers to the bundles by hash: they must be there first.
    page.node.addDependency(assets);
    this.acknowledgeFindings(site, assets);
  }

  /** cdk-nag findings on the distribution and on CDK's deployment function, each with its reason. */
  private acknowledgeFindings(site: Bucket, deployment: BucketDeployment): void {
    const stack = Stack.of(this);
    const acknowledge = (scope: Construct, id: string, reason: string) => Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Access is governed by sign-in (the OIDC provider) and the API’s role checks, not by location: enterprise staff and ' +
        'reviewers also work while travelling.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Abuse of the API is bounded by the API Gateway stage throttle and the JWT authorizer; a CloudFront web ACL (created ' +
        'in us-east-1) is left to the account’s firewall policy rather than made per stack.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol; a ' +
        'custom domain with its own certificate and TLSv1.2_2021 is a deployment-time addition.',
    );
    // CDK's BucketDeployment: a singleton function with CDK's own runtime and grants.
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      acknowledge(handler, 'AwsSolutions-L1', 'CDK’s BucketDeployment function; its runtime is chosen and updated by aws-cdk-lib.');
    }
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const siteId = stack.resolve(stack.getLogicalId(site.node.defaultChild as CfnElement)) as string;
    const reason =
      'CDK’s BucketDeployment grants: read the deployment’s asset objects from the CDK asset bucket, and write, list and ' +
      'prune objects in the console’s own bucket only.';
    for (const finding of [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      `Resource::<${siteId}.Arn>/*`,
      `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*`,
    ]) {
      acknowledge(deployment.handlerRole, `AwsSolutions-IAM5[${finding}]`, reason);
    }
  }
}
