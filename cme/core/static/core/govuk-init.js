// Starts GOV.UK Frontend's components. A file rather than an inline module, so the
// Content-Security-Policy can refuse every inline script that carries no nonce.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
