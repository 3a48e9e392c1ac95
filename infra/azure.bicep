// WarmPath in Azure: App Service on Linux (Node 22 LTS) for the service, Azure Bot (single
// tenant), PostgreSQL flexible server for the store, Key Vault for every secret, Application
// Insights. Deployed by the Agents Toolkit's arm/deploy (teamsapp.yml) with azure.parameters.json.

// ---------------------------------------------------------------------------------------------
// Parameters: name, region, sizes, the Entra apps, the secrets (secure, stored in Key Vault)
// ---------------------------------------------------------------------------------------------

@description('Base name for every resource, e.g. warmpath-dev (letters, digits, hyphens).')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Azure region for the resources (the bot registration itself is global).')
param location string = resourceGroup().location

@description('App Service plan size: B1 for trying out, P1v3 or larger for production.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'])
param appServiceSku string = 'B1'

@description('PostgreSQL compute size, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL tier matching postgresSkuName.')
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresTier string = 'Burstable'

@description('PostgreSQL storage in GB (a string: env files only hold text).')
@allowed(['32', '64', '128', '256', '512', '1024', '2048'])
param postgresStorageGB string = '32'

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'warmpath'

@description('PostgreSQL administrator password (goes to Key Vault; the service reads it through DATABASE_URL).')
@secure()
param postgresAdminPassword string

@description('Azure Bot pricing tier: F0 (free, standard channels) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Client id of the WarmPath Entra app (multi-tenant: Graph application permissions, SSO).')
param aadAppClientId string

@description('Tenant id of the WarmPath Entra app (the publisher\'s tenant).')
param aadAppTenantId string = tenant().tenantId

@description('Client secret of the WarmPath Entra app (goes to Key Vault).')
@secure()
param aadAppClientSecret string

@description('Client id of the bot\'s single-tenant Entra app.')
param botAadAppClientId string

@description('Tenant id of the bot\'s Entra app (where provision created it).')
param botAadAppTenantId string = aadAppTenantId

@description('Client secret of the bot\'s Entra app (goes to Key Vault).')
@secure()
param botAadAppClientSecret string

@description('Service log level: fatal, error, warn, info, debug, trace or silent.')
param logLevel string = 'info'

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var webAppName = 'app-${resourceBaseName}-${suffix}'
// Key Vault names: 3-24 characters
var keyVaultName = take('kv${replace(resourceBaseName, '-', '')}${suffix}', 24)
var postgresServerName = 'psql-${resourceBaseName}-${suffix}'
var postgresDatabaseName = 'warmpath'
// built-in role "Key Vault Secrets User": read secret values, nothing else
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// ---------------------------------------------------------------------------------------------
// Monitoring: Log Analytics workspace and workspace-based Application Insights
// ---------------------------------------------------------------------------------------------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceBaseName}-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceBaseName}-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL flexible server (the store; every table is keyed tenant_id first)
// ---------------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresServerName
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: int(postgresStorageGB) }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
    network: { publicNetworkAccess: 'Enabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: postgresDatabaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0 means "Azure services", so the App Service reaches the server; see infra/README.md for a private network
resource postgresAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault: every secret the service reads; app settings hold only references to them
// ---------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource clientSecretInVault 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'aad-app-client-secret'
  properties: { value: aadAppClientSecret }
}

resource botPasswordInVault 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: { value: botAadAppClientSecret }
}

resource databaseUrlInVault 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'database-url'
  properties: {
    value: 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${postgresDatabaseName}?sslmode=require'
  }
}

// ---------------------------------------------------------------------------------------------
// App Service on Linux, Node 22 LTS: the service (REST API, bot, tab, add-in, Graph webhooks)
// ---------------------------------------------------------------------------------------------

resource appServicePlan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'plan-${resourceBaseName}-${suffix}'
  location: location
  kind: 'linux'
  sku: { name: appServiceSku }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: appServicePlan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

// set after the role assignment so the Key Vault references resolve on the first start
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  dependsOn: [webAppReadsSecrets]
  properties: {
    // the build runs before zip deploy (teamsapp.yml deploy), not on App Service
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    NODE_ENV: 'production'
    LOG_LEVEL: logLevel
    PUBLIC_URL: 'https://${webApp.properties.defaultHostName}'
    TENANT_ID: aadAppTenantId
    CLIENT_ID: aadAppClientId
    CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${clientSecretInVault.properties.secretUri})'
    DATABASE_URL: '@Microsoft.KeyVault(SecretUri=${databaseUrlInVault.properties.secretUri})'
    BOT_ID: botAadAppClientId
    BOT_TENANT_ID: botAadAppTenantId
    BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botPasswordInVault.properties.secretUri})'
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  }
}

resource webAppReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      keyVaultSecretsUserRoleId
    )
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: single-tenant registration (new multi-tenant bots can no longer be created)
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: 'bot-${resourceBaseName}-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: resourceBaseName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botAadAppTenantId
  }
}

resource botTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs: written into env/.env.<name> by the Agents Toolkit
// ---------------------------------------------------------------------------------------------

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output KEY_VAULT_NAME string = keyVault.name
