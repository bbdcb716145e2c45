export { AiProvidersPage } from './AiProvidersPage';
