export { FlowsPage } from './FlowsPage';
