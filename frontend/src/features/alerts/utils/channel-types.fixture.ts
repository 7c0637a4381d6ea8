// GET /channels/types as the alert service answers it (alert_service/channels/*.py), for tests.
import type { ChannelType } from "../api/types";

export const CHANNEL_TYPES: ChannelType[] = [
  {
    "type": "apprise",
    "label": "Apprise",
    "secret_fields": [
      "url"
    ],
    "config_schema": {
      "additionalProperties": false,
      "properties": {
        "url": {
          "format": "password",
          "title": "Url",
          "type": "string",
          "writeOnly": true
        }
      },
      "required": [
        "url"
      ],
      "title": "AppriseConfig",
      "type": "object"
    }
  },
  {
    "type": "discord",
    "label": "Discord",
    "secret_fields": [
      "webhook_url"
    ],
    "config_schema": {
      "additionalProperties": false,
      "properties": {
        "webhook_url": {
          "format": "password",
          "title": "Webhook Url",
          "type": "string",
          "writeOnly": true
        }
      },
      "required": [
        "webhook_url"
      ],
      "title": "DiscordConfig",
      "type": "object"
    }
  },
  {
    "type": "email",
    "label": "E-mail",
    "secret_fields": [
      "password"
    ],
    "config_schema": {
      "additionalProperties": false,
      "properties": {
        "to": {
          "items": {
            "format": "email",
            "type": "string"
          },
          "maxItems": 20,
          "minItems": 1,
          "title": "To",
          "type": "array"
        },
        "host": {
          "anyOf": [
            {
              "maxLength": 253,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Host"
        },
        "port": {
          "anyOf": [
            {
              "exclusiveMaximum": 65536,
              "exclusiveMinimum": 0,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Port"
        },
        "username": {
          "anyOf": [
            {
              "maxLength": 256,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Username"
        },
        "password": {
          "anyOf": [
            {
              "format": "password",
              "type": "string",
              "writeOnly": true
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Password"
        },
        "security": {
          "anyOf": [
            {
              "enum": [
                "starttls",
                "tls",
                "none"
              ],
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Security"
        },
        "from_address": {
          "anyOf": [
            {
              "maxLength": 320,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "From Address"
        }
      },
      "required": [
        "to"
      ],
      "title": "EmailConfig",
      "type": "object"
    }
  },
  {
    "type": "slack",
    "label": "Slack",
    "secret_fields": [
      "webhook_url"
    ],
    "config_schema": {
      "additionalProperties": false,
      "properties": {
        "webhook_url": {
          "format": "password",
          "title": "Webhook Url",
          "type": "string",
          "writeOnly": true
        }
      },
      "required": [
        "webhook_url"
      ],
      "title": "SlackConfig",
      "type": "object"
    }
  },
  {
    "type": "telegram",
    "label": "Telegram",
    "secret_fields": [
      "bot_token"
    ],
    "config_schema": {
      "additionalProperties": false,
      "properties": {
        "chat_id": {
          "title": "Chat Id",
          "type": "string"
        },
        "bot_token": {
          "anyOf": [
            {
              "format": "password",
              "type": "string",
              "writeOnly": true
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Bot Token"
        }
      },
      "required": [
        "chat_id"
      ],
      "title": "TelegramConfig",
      "type": "object"
    }
  },
  {
    "type": "webhook",
    "label": "Webhook",
    "secret_fields": [
      "secret",
      "secret_headers"
    ],
    "config_schema": {
      "additionalProperties": false,
      "properties": {
        "url": {
          "maxLength": 2048,
          "title": "Url",
          "type": "string"
        },
        "headers": {
          "additionalProperties": {
            "type": "string"
          },
          "maxProperties": 20,
          "title": "Headers",
          "type": "object"
        },
        "secret": {
          "anyOf": [
            {
              "format": "password",
              "maxLength": 256,
              "minLength": 8,
              "type": "string",
              "writeOnly": true
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Secret"
        },
        "secret_headers": {
          "anyOf": [
            {
              "format": "password",
              "maxLength": 20000,
              "type": "string",
              "writeOnly": true
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Secret Headers"
        }
      },
      "required": [
        "url"
      ],
      "title": "WebhookConfig",
      "type": "object"
    }
  }
];
