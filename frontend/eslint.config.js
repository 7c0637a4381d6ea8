// Flat config: TypeScript (type-aware), React hooks, TanStack Query rules and the import
// boundaries of the feature folders (STYLE.md): routes → features → components/lib, never back.
import js from "@eslint/js";
import pluginQuery from "@tanstack/eslint-plugin-query";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const noFeatures = {
  group: ["@/features/*", "**/features/*", "@/features", "@/app/*", "@/routes/*", "**/routeTree.gen"],
  message: "lib/ and components/ are shared by every feature: they must not import features, app or routes.",
};
const noSiblingFeatures = {
  group: ["@/features/*", "**/features/*", "@/app/*", "@/routes/*"],
  message: "Features never import each other (or app/routes); share through lib/ or components/, compose in routes or app.",
};

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/routeTree.gen.ts", "src/lib/api/schema", "test-results", "playwright-report"] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    files: ["**/*.{ts,tsx}"],
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-confusing-void-expression": "off",
      "@typescript-eslint/only-throw-error": ["error", { allow: [{ from: "package", package: "@tanstack/router-core", name: "Redirect" }, { from: "package", package: "@tanstack/router-core", name: "NotFoundError" }] }],
      "@typescript-eslint/no-unnecessary-condition": ["error", { allowConstantLoopConditions: true }],
      // react-hook-form's handleSubmit returns a promise; the form attribute ignores it.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-console": "error",
    },
  },
  ...pluginQuery.configs["flat/recommended"],
  {
    files: ["src/lib/**", "src/components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noFeatures] }] },
  },
  {
    files: ["src/features/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noSiblingFeatures] }] },
  },
  {
    files: ["e2e/**", "*.config.ts", "scripts/**"],
    languageOptions: { globals: { ...globals.node } },
    rules: { "no-console": "off" },
  },
);
