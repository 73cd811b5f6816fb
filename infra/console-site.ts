import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  type CfnDistribution,
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
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
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
  /** Where CloudFront reaches the API: its custom domain; default the execute-api endpoint. */
  apiOriginDomain?: string;
  /** The console's own domain with an IAM server certificate (CloudFront in China takes no ACM certificate). */
  domain?: ConsoleDomain;
  /** An existing WAF web ACL for CloudFront (its ARN; such ACLs live in us-east-1). */
  webAclArn?: string;
  /** Origin Access Control for the site bucket where the partition has it; otherwise an Origin Access Identity. */
  originAccessControl?: boolean;
  /** Whether the partition offers WAF for CloudFront (not AWS China). */
  cloudFrontWaf?: boolean;
}

/** A custom domain for the console, with its certificate uploaded to IAM (path /cloudfront/). */
export interface ConsoleDomain {
  domainName: string;
  iamCertificateId: string;
}

/** Requests per IP in any 5 minutes before WAF blocks that IP for a while (a clerk's busy session is far below). */
export const WAF_RATE_LIMIT_PER_5_MINUTES = 1000;
/** 公示 objections per IP in any 5 minutes at the edge (WAF's smallest limit is 10; the API allows 5 per 10 minutes). */
export const WAF_OBJECTIONS_PER_5_MINUTES = 10;

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

    const apiDomain = props.apiOriginDomain ?? Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const api: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // With caching disabled, the all-viewer policy forwards Authorization; the Host header stays API Gateway's.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    const stack = Stack.of(this);
    const webAclArn = props.webAclArn ?? (props.cloudFrontWaf !== false && stack.region === 'us-east-1' ? this.webAcl().attrArn : undefined);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: '晋创谷·晋城 subsidy console and API',
      ...(webAclArn ? { webAclId: webAclArn } : {}),
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: props.originAccessControl === false ? S3BucketOrigin.withOriginAccessIdentity(site) : S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, api])),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    if (props.domain) {
      // Distribution.certificate takes ACM only; CloudFront also takes an IAM server certificate.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [props.domain.domainName]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
        IamCertificateId: props.domain.iamCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
    }

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
    this.acknowledgeFindings(site, assets, { waf: Boolean(webAclArn), cloudFrontWaf: props.cloudFrontWaf !== false, customDomain: Boolean(props.domain), originAccessControl: props.originAccessControl !== false });
  }

  /** A CloudFront-scope web ACL (only creatable in us-east-1): AWS's common rules and a per-IP rate limit. */
  private webAcl(): CfnWebACL {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    return new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('jcg-console'),
      rules: [
        {
          name: 'per-ip-rate',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: WAF_RATE_LIMIT_PER_5_MINUTES, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('jcg-per-ip-rate'),
        },
        {
          // 公示 objections need no sign-in: a tighter limit per viewer at the edge, before the table's own counter.
          name: 'objections-per-ip-rate',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: WAF_OBJECTIONS_PER_5_MINUTES,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
              scopeDownStatement: {
                byteMatchStatement: {
                  searchString: '/objections',
                  fieldToMatch: { uriPath: {} },
                  textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                  positionalConstraint: 'ENDS_WITH',
                },
              },
            },
          },
          visibilityConfig: visibility('jcg-objections-per-ip-rate'),
        },
      ],
    });
  }

  /** cdk-nag findings on the distribution and on CDK's deployment function, each with its reason. */
  private acknowledgeFindings(site: Bucket, deployment: BucketDeployment, has: { waf: boolean; cloudFrontWaf: boolean; customDomain: boolean; originAccessControl: boolean }): void {
    const stack = Stack.of(this);
    const acknowledge = (scope: Construct, id: string, reason: string) => Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Access is governed by sign-in (the OIDC provider) and the API’s role checks, not by location: enterprise staff and ' +
        'reviewers also work while travelling.',
    );
    if (!has.waf) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR2',
        has.cloudFrontWaf
          ? 'WAF for CloudFront exists only in us-east-1 and this stack is elsewhere: pass -c webAclArn=<ARN of a CLOUDFRONT web ACL ' +
              'made in us-east-1> (README: Deploy to AWS). Until then the API stage throttle and the JWT authorizer bound abuse.'
          : 'AWS WAF in the China Regions is regional only, not for CloudFront; the API stage throttle and the JWT authorizer bound abuse.',
      );
    }
    if (has.customDomain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The viewer certificate is an IAM server certificate with TLSv1.2_2021, set as a property override (the L2 takes ACM ' +
          'certificates only), which the rule does not read; test/infra/stack.test.ts checks it in the template.',
      );
    } else {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the minimum protocol; pass ' +
          '-c domainName= -c iamCertificateId= to serve the console on its own domain with TLSv1.2_2021.',
      );
    }
    if (!has.originAccessControl) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR7',
        'AWS China has no CloudFront Origin Access Control (AWS::CloudFront::OriginAccessControl does not exist there); the site ' +
          'bucket is reached through an Origin Access Identity instead and stays private.',
      );
    }
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
